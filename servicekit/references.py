"""People read names, not ids (SPEC conventions): `<name>_code` taken for `<name>_id`, `{id, code, name}` answered
beside each id, and `{id, name}` for whoever did something."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

import marshmallow as ma
from marshmallow import fields, validate

from servicekit.lookups import CodeLookup, ReferenceLookup, id_for_code, reference_for

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
