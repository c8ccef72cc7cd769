"""Marshmallow pieces every service's API shares: exact quantities, pages, the problem body, codes and names."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

import marshmallow as ma
from marshmallow import fields, validate

from servicekit.db import json_number
from servicekit.lookups import CodeLookup, ReferenceLookup, id_for_code, reference_for

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
        # Runs after _refuse_nul (hooks run in name order); see Code below.
        return codes_to_ids(self, data)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # far past any record and any plan, far inside what every database stores


class Instant(fields.AwareDateTime):
    """A timestamp with its offset (none is refused), between 1900 and 2200, returned in UTC."""

    default_error_messages = {"out_of_range": f"Must lie between {EARLIEST_YEAR} and {LATEST_YEAR}."}

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = moment.astimezone(dt.timezone.utc)
        except OverflowError as exc:
            raise self.make_error("out_of_range") from exc
        if not EARLIEST_YEAR <= utc.year <= LATEST_YEAR:
            raise self.make_error("out_of_range")
        return utc


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
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={"description": "bad field → messages"})
    request_id = fields.String()


# --- People read names, not ids (SPEC conventions) ---------------------------------------------------
# A write takes `<name>_code` wherever it takes `<name>_id` (exactly one of them), and an answer carries
# `<name>: {id, code, name}` beside each `<name>_id`, and `{id, name}` for whoever did something.

CODE_MAX_LENGTH = 64


class Code(fields.String):
    """`<name>_code`, taken instead of `<name>_id`: the schema's pre_load turns it into the id before the
    id is validated, so services only ever see ids. Never part of the loaded data."""

    def __init__(self, *, id_field: str, lookup: CodeLookup, what: str, required_pair: bool, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault("description", f"the {what}'s code, instead of `{id_field}`")
        super().__init__(load_only=True, validate=validate.Length(min=1, max=CODE_MAX_LENGTH), **kwargs)
        self.id_field, self.lookup, self.what, self.required_pair = id_field, lookup, what, required_pair


def id_or_code(name: str, lookup: CodeLookup, *, required: bool = True, what: str | None = None,
               **id_kwargs: Any) -> tuple[fields.UUID, Code]:
    """The pair of fields `<name>_id` and `<name>_code`; with `required`, one of the two must be given.

    Use as `warehouse_id, warehouse_code = id_or_code("warehouse", warehouses.id_for_code)`.
    """
    what = what or name.replace("_", " ")
    id_kwargs.setdefault("metadata", {}).setdefault("description", f"the {what}'s id; or give `{name}_code`")
    return (fields.UUID(**id_kwargs),
            Code(id_field=f"{name}_id", lookup=lookup, what=what, required_pair=required))


def _is_storable_text(value: Any) -> bool:
    if not isinstance(value, str) or not 1 <= len(value) <= CODE_MAX_LENGTH or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database would find (or take) it
        return False
    return True


def codes_to_ids(schema: ma.Schema, data: Any) -> Any:
    """Replace each `<name>_code` by the `<name>_id` it names; 422 naming the field when the code is unknown,
    when id and code disagree, or (for a required pair outside a PATCH) when neither is given."""
    pairs = [(code_name, field) for code_name, field in schema.fields.items() if isinstance(field, Code)]
    if not pairs or not isinstance(data, Mapping):
        return data
    data, errors = dict(data), {}
    for code_name, field in pairs:
        id_name = field.id_field
        given_id = data.get(id_name)
        if code_name not in data:
            if field.required_pair and not schema.partial and given_id is None and id_name not in data:
                errors[id_name] = [f"Missing data for required field: give `{id_name}` or `{code_name}`."]
            continue
        code = data.pop(code_name)
        if code is None and not field.required_pair:
            continue
        if not _is_storable_text(code):
            errors[code_name] = [f"Must be the {field.what}'s code: text of 1 to {CODE_MAX_LENGTH} characters."]
            continue
        found = id_for_code(field.lookup, code)
        if found is None:
            errors[code_name] = [f"No {field.what} with code {code!r}."]
            continue
        if given_id is not None:
            try:
                same = uuid.UUID(str(given_id)) == found
            except ValueError:
                same = True  # the id's own validation names it
            if not same:
                message = f"{id_name} and {code_name} name different {field.what}s; give one of them."
                errors[id_name] = errors[code_name] = [message]
            continue
        data[id_name] = str(found)
    if errors:
        raise ma.ValidationError(errors)
    return data


class ReferenceSchema(ma.Schema):
    """Which record an id names, as people read it."""

    id = fields.UUID(required=True)
    code = fields.String(required=True, allow_none=True, metadata={"description": "null while not known here"})
    name = fields.String(required=True, allow_none=True, metadata={"description": "null while not known here"})


class ItemReferenceSchema(ReferenceSchema):
    unit = fields.String(allow_none=True)


class ActorSchema(ma.Schema):
    """Who did something: the key or user the gateway vouched for, by name."""

    id = fields.String(required=True)
    name = fields.String(required=True, allow_none=True,
                         metadata={"description": "null for records written before names were kept"})


class Reference(fields.Nested):
    """Dumps the record named by the object's `<id_attribute>` as `{id, code, name}` (read through `lookup`)."""

    def __init__(self, id_attribute: str, lookup: ReferenceLookup, *, item: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        super().__init__(ItemReferenceSchema if item else ReferenceSchema, attribute=id_attribute, dump_only=True,
                         **kwargs)
        self.lookup, self.item = lookup, item

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        # Built directly rather than dumped through the nested schema (which only documents the shape):
        # a page names hundreds of records, and a schema dump per name costs more than the read.
        reference = reference_for(self.lookup, nested_obj)
        if reference is None:
            return None
        named = {"id": str(reference["id"]), "code": reference.get("code"), "name": reference.get("name")}
        if self.item:
            named["unit"] = reference.get("unit")
        return named


class ActorReference(fields.Nested):
    """Dumps `{id, name}` from the object's id and name attributes (e.g. `created_by`, `created_by_name`)."""

    def __init__(self, id_attribute: str, name_attribute: str, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        super().__init__(ActorSchema, dump_only=True, **kwargs)
        self.id_attribute, self.name_attribute = id_attribute, name_attribute

    def serialize(self, attr, obj, accessor=None, **kwargs):
        actor_id = self.get_value(obj, self.id_attribute, accessor=accessor)
        if actor_id is None or actor_id is ma.missing:
            return None
        name = self.get_value(obj, self.name_attribute, accessor=accessor)
        return {"id": str(actor_id), "name": None if name is ma.missing else name}  # as Reference: no dump per row
