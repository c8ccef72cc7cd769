"""What templates show: names with codes (never a bare id), dates in ERDM_TIMEZONE, quantities, status words."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime
from markupsafe import Markup, escape

from console import words
from console.settings import ConsoleSettings


def named(record: Any, *, code_first: bool = True) -> str:
    """`CODE 名称` for anything carrying a code and a name; a name alone; "—" for nothing."""
    if not record:
        return "—"
    if isinstance(record, str):
        return record
    code, name = record.get("code"), record.get("name") or record.get("display_name") or record.get("title")
    if code and name:
        return f"{code} {name}" if code_first else f"{name} ({code})"
    return str(name or code or "—")


def when(value: Any, style: str = "medium") -> str:
    """A timestamp in the deployment's zone; accepts the API's ISO strings."""
    moment = _moment(value)
    if moment is None:
        return "—" if not value else str(value)
    return format_datetime(moment, "yyyy-MM-dd HH:mm" if style == "short" else style)


def day(value: Any) -> str:
    """A date `YYYY-MM-DD` (the API's own shape, the same in both languages and in spreadsheets)."""
    if not value:
        return "—"
    if isinstance(value, str) and len(value) == 10:
        return value
    moment = _moment(value)
    return format_date(moment, "yyyy-MM-dd") if moment else str(value)


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def quantity(value: Any) -> str:
    """3.000 → 3, 2.500 → 2.5: the API answers numbers with three decimals."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    return text


def status(value: str | None) -> Markup:
    """A status as a coloured badge with its word in the page's language."""
    if not value:
        return Markup("")
    return Markup('<span class="badge badge-{tone} status-{value}">{label}</span>').format(
        tone=words.tone(value), value=value, label=words.label(value))


def install(app: Flask, settings: ConsoleSettings) -> None:
    app.jinja_env.filters.update(named=named, when=when, day=day, quantity=quantity, status=status,
                                 label=words.label)
    # A global, not only a context variable: macros imported without context (pagers, filters) use it too.
    app.jinja_env.globals["query_with"] = query_with
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _page_helpers():
        return {"map_tile_url": settings.map_tile_url,
                "map_attribution": settings.map_attribution}


def query_with(**changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one): pagers and filters."""
    args = request.args.to_dict(flat=True)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    from urllib.parse import urlencode

    query = urlencode(args)
    return escape(request.path + ("?" + query if query else ""))
