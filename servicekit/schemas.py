"""Marshmallow pieces every service's API shares: exact quantities, pages, the problem body, codes and names."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import current_app, has_app_context
from marshmallow import fields, validate

from servicekit import clock
from servicekit.db import json_number
from servicekit.references import codes_to_ids

MAX_QUANTITY = Decimal("1000000000000")  # 10^12: well past any stockpile, far inside a 64-bit count of thousandths


class Quantity(fields.Field):
    """A JSON number with at most 3 decimals, > 0 (or >= 0 with `allow_zero`), as an exact Decimal."""

    default_error_messages = {
        "invalid": "Must be a number.",
        "too_precise": "Must have at most 3 decimal places.",
        "not_positive": "Must be greater than 0.",
        "negative": "Must be 0 or more.",
        "too_large": f"Must be at most {MAX_QUANTITY}.",
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "a quantity, up to 3 decimals" + (", 0 or more" if allow_zero else ", more than 0")
        )
        super().__init__(**kwargs)
        self.allow_zero = allow_zero

    def _deserialize(self, value: Any, attr, data, **kwargs) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.make_error("invalid") from exc
        if not number.is_finite():
            raise self.make_error("invalid")
        if number < 0 or (number == 0 and not self.allow_zero):
            raise self.make_error("negative" if self.allow_zero else "not_positive")
        if number > MAX_QUANTITY:
            raise self.make_error("too_large")
        if number != number.quantize(Decimal("0.001")):
            raise self.make_error("too_precise")
        return number.quantize(Decimal("0.001")).normalize() + Decimal(0)

    def _serialize(self, value: Any, attr, obj, **kwargs) -> int | float | None:
        if value is None:
            return None
        return json_number(Decimal(value))


def quantity_openapi(converter, field, **kwargs) -> dict:
    """Document Quantity as a number in the OpenAPI description."""
    if isinstance(field, Quantity):
        # OpenAPI 3.0 form: a boolean exclusiveMinimum beside minimum (3.1 would take a number).
        spec = {"type": "number", "multipleOf": 0.001, "maximum": float(MAX_QUANTITY), "minimum": 0}
        if not field.allow_zero:
            spec["exclusiveMinimum"] = True
        return spec
    return {}


class Whole(fields.Nested):
    """A nested object that is always given whole: a PATCH may leave out fields of its parent,
    never half of a line inside it (marshmallow passes the parent's `partial` down otherwise)."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=None, **kwargs)


def Text(max_length: int, **kwargs: Any) -> fields.String:  # noqa: N802 - it stands where a field class would
    """Non-empty text of at most `max_length` characters."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


class Schema(ma.Schema):
    """Base of every request schema: text containing NUL is refused (PostgreSQL cannot store it), and each
    `<name>_code` (a `Code` field) is turned into the `<name>_id` it names."""

    @ma.pre_load
    def _refuse_nul(self, data, **_kwargs):
        if isinstance(data, Mapping):
            bad = {name: ["Must not contain NUL characters."] for name, value in data.items() if _has_nul(value)}
            if bad:
                raise ma.ValidationError(bad)
        return data

    @ma.pre_load
    def _resolve_codes(self, data, **_kwargs):
        # Runs after _refuse_nul (hooks run in name order); see servicekit/references.py.
        return codes_to_ids(self, data)

    @ma.post_dump
    def _carry_every_field(self, data, **_kwargs):
        # An answer carries every field it describes, a missing value as null, so that a typed client can
        # rely on the `required` list of the API description (servicekit/openapi.py); only fields marked
        # `sometimes()` may be absent.
        for name, field in self.dump_fields.items():
            key = field.data_key or name
            if key not in data and field.allow_none and not field.metadata.get(SOMETIMES):
                data[key] = None
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # far past any record and any plan, far inside what every database stores


SOMETIMES = "erdm_sometimes"  # field metadata: an answer carries this field only in some cases (see sometimes())


def sometimes(description: str | None = None, **metadata: Any) -> dict[str, Any]:
    """Metadata of an answer field that only some answers carry: the API description leaves it out of
    `required` (servicekit/openapi.py marks every other answer field required)."""
    return {SOMETIMES: True, **({"description": description} if description else {}), **metadata}


class Instant(fields.AwareDateTime):
    """A moment: an ISO 8601 timestamp with its offset (none is refused), or a plain date `YYYY-MM-DD`
    meaning that day's start in ERDM_TIMEZONE (its last microsecond with `end_of_day`, for the upper
    bound of a range); between 1900 and 2200, returned in UTC. Answers give it back as ISO 8601 with offset."""

    default_error_messages = {"out_of_range": f"Must lie between {EARLIEST_YEAR} and {LATEST_YEAR}."}

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and PLAIN_DATE.fullmatch(value):
            day = Day(data_key=self.data_key)._deserialize(value, attr, data, **kwargs)
            return day_bound(day, end_of_day=self.end_of_day)
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = moment.astimezone(dt.timezone.utc)
        except OverflowError as exc:
            raise self.make_error("out_of_range") from exc
        if not EARLIEST_YEAR <= utc.year <= LATEST_YEAR:
            raise self.make_error("out_of_range")
        return utc


PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def bureau_zone() -> ZoneInfo:
    """The zone dates are reckoned in: the app's ERDM_TIMEZONE, or the default outside an app."""
    settings = current_app.extensions.get("erdm.settings") if has_app_context() else None
    return ZoneInfo(settings.timezone if settings else clock.DEFAULT_TIMEZONE)


def day_bound(day: dt.date, *, end_of_day: bool = False) -> dt.datetime:
    """The first (or last) microsecond of `day` in the bureau's zone, as a UTC instant."""
    zone = bureau_zone()
    if not end_of_day:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.timezone.utc)
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return (next_day - dt.timedelta(microseconds=1)).astimezone(dt.timezone.utc)


class Day(fields.Date):
    """A calendar date `YYYY-MM-DD` between 1900 and 2200."""

    default_error_messages = {"out_of_range": f"Must lie between {EARLIEST_YEAR} and {LATEST_YEAR}."}

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise self.make_error("out_of_range")
        return day


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The SPEC's list envelope `{items, total, page, per_page}` around `item_schema`."""
    return type(
        name,
        (ma.Schema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
        },
    )


class ProblemSchema(ma.Schema):
    """application/problem+json, the one error shape."""

    status = fields.Integer(required=True)
    title = fields.String(required=True)
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata=sometimes("bad field → messages"))
    request_id = fields.String(allow_none=True)
