"""What the plan forms choose from, read through the gateway: catalog items as `CODE 名称`, the organisations in
the person's scope as an indented tree; and names for items the plans service does not know yet."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused

INDENT = "\u3000"  # a full-width space: one step down the organisation tree in a <select>


def item_label(item: Mapping) -> str:
    unit = item.get("unit")
    return f"{named(item)} ({unit})" if unit else named(item)


def item_choices(keep: Iterable[Mapping] = ()) -> list[SelectChoice]:
    """Every active catalog item, and the items of `keep` (lines already on the plan, whose item may since
    have been retired from the catalog), by code."""
    items = {item["id"]: item for item in gateway_api.all_pages("/items")}
    for item in keep:
        if item.get("id"):
            items.setdefault(item["id"], item)
    ordered = sorted(items.values(), key=lambda item: item.get("code") or "")
    return [SelectChoice("", _("— choose an item —")), *(SelectChoice(item["id"], item_label(item)) for item in ordered)]


def org_choices() -> list[SelectChoice] | None:
    """The organisations the person may register a plan for, in tree order and indented; None when the role
    may not read the directory (the plan is then the person's own organisation's)."""
    try:
        orgs = gateway_api.all_pages("/orgs")
    except Refused:
        return None
    top = min((org["path"].count("/") for org in orgs), default=0)
    return [SelectChoice(org["id"], INDENT * (org["path"].count("/") - top) + named(org)) for org in orgs]


def name_items(lines: list[dict]) -> list[dict]:
    """`lines` with each `item` named: the plans service names items from the events it has heard, so a
    just-created item may still come without its code and name; those are asked of the catalog."""
    for line in lines:
        item = line.get("item") or {}
        if not item.get("code") and line.get("item_id"):
            try:
                line["item"] = gateway_api.get(f"/items/{line['item_id']}")
            except Refused:
                line["item"] = {**item, "name": _("an item not in the catalog")}
    return lines
