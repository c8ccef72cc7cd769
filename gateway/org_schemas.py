"""The organisation and /me request and answer shapes (marshmallow): unknown fields refused, codes fit for paths."""
from __future__ import annotations

import re

import marshmallow as ma
from marshmallow import fields, validate

from gateway.models import INDUSTRIES, KINDS, SCOPES
from gateway.roles import ROLES
from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, Text, page_schema

# A code is a segment of every path below it ("/ROOT/PD/ENT-001/"): no slash, no space, nothing to escape.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _code_shape(value: str) -> None:
    if not CODE_PATTERN.fullmatch(value):
        raise ma.ValidationError("Must be letters, digits, '-' or '_', starting with a letter or digit.")


def _code(**kwargs) -> fields.String:
    # The pattern is also written out for the API description (ECMA regular expressions, hence `$`).
    kwargs.setdefault("metadata", {})["pattern"] = f"^{CODE_PATTERN.pattern}$"
    return fields.String(validate=[validate.Length(min=1, max=64), _code_shape], **kwargs)


class PersonSchema(Schema):
    name = Text(100, required=True, metadata={"description": "e.g. 王建国"})
    title = fields.String(validate=validate.Length(max=100), allow_none=True, load_default=None,
                          metadata={"description": "e.g. 总经理, 安全副总"})


class OrgReferenceSchema(ma.Schema):
    id = fields.UUID(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class OrgFields(Schema):
    """What a create and a change share."""

    name = Text(200, metadata={"description": "e.g. 浦东新区应急管理局"})
    district = fields.String(validate=validate.Length(min=1, max=100), allow_none=True,
                             metadata={"description": "the district it lies in, e.g. 浦东新区"})
    industries = fields.List(fields.String(validate=validate.OneOf(INDUSTRIES)),
                             metadata={"description": "its high-hazard industries (生产安全事故应急条例 art. 7–8), "
                                                      "or `other`"})
    principal = fields.Nested(PersonSchema, allow_none=True, metadata={"description": "the head (一把手)"})
    deputies = fields.List(fields.Nested(PersonSchema), validate=validate.Length(max=20),
                           metadata={"description": "the deputies in charge (分管领导)"})

    @ma.post_load
    def _one_of_each_industry(self, data, **_kwargs):
        if "industries" in data:
            data["industries"] = list(dict.fromkeys(data["industries"]))
        return data


class OrgCreateSchema(OrgFields):
    code = _code(required=True, metadata={"description": "unique, fixed once made; a segment of `path`"})
    name = Text(200, required=True, metadata={"description": "e.g. 浦东新区应急管理局"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "bureau (应急管理部门), enterprise (生产经营单位) or "
                                                  "custodian (承储单位)"})
    parent_id = fields.UUID(metadata={"description": "the parent organisation; or give `parent_code`"})
    parent_code = _code(metadata={"description": "the parent's code, instead of `parent_id`"})


class OrgPatchSchema(OrgFields):
    active = fields.Boolean(metadata={"description": "false retires the organisation; its records stay"})
    # Accepted only to say why they cannot change (409), rather than as unknown fields (422).
    code = _code(metadata={"description": "fixed: a different value is refused (409)"})
    parent_id = fields.UUID(metadata={"description": "fixed: the parent never changes (409)"})
    parent_code = _code(metadata={"description": "fixed: the parent never changes (409)"})


class OrgSchema(ma.Schema):
    id = fields.UUID(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    path = fields.String(required=True, metadata={"description": "the codes from the root, e.g. /ROOT/PD/ENT-001/"})
    parent = fields.Nested(OrgReferenceSchema, allow_none=True, required=True,
                           metadata={"description": "null only for the root"})
    district = fields.String(allow_none=True, required=True)
    industries = fields.List(fields.String(), required=True)
    principal = fields.Nested(PersonSchema, allow_none=True, required=True)
    deputies = fields.List(fields.Nested(PersonSchema), required=True)
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    created_by = ActorReference("created_by", "created_by_name", required=True)
    updated_at = fields.DateTime(required=True)
    updated_by = ActorReference("updated_by", "updated_by_name", required=True)


class OrgListArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like every list endpoint: unknown query parameters are ignored

    kind = fields.String(validate=validate.OneOf(KINDS))
    parent_id = fields.UUID()
    district = fields.String(validate=validate.Length(min=1, max=100))


OrgPageSchema = page_schema(OrgSchema, "OrgPageSchema")


class MeOrgSchema(OrgReferenceSchema):
    path = fields.String(required=True)


class MeSchema(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("key", "user")),
                         metadata={"description": "what the caller signed in with"})
    id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org = fields.Nested(MeOrgSchema, required=True)
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
