"""The keys API's request and answer shapes (marshmallow): unknown fields refused, the secret never listed."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from gateway.models import SCOPES
from gateway.org_schemas import OrgReferenceSchema
from gateway.roles import ROLES
from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, page_schema


def _plain_name(value: str) -> None:
    # The name is written into every access log line and signed header: keep it one clean line.
    if value != value.strip() or not value.isprintable():
        raise ma.ValidationError("Must be printable text without leading or trailing spaces.")


class KeyCreateSchema(Schema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), _plain_name],
                         metadata={"description": "who holds the key, e.g. 指挥中心大屏; shown in logs and on ledger rows"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES),
                         metadata={"description": "what the key may do: see the gateway's roles table"})
    org_id = fields.UUID(metadata={"description": "the organisation it acts for (or give `org_code`); by default "
                                                  "yours, and never one outside your scope"})
    org_code = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "the organisation's code, instead of `org_id`"})
    scope = fields.String(validate=validate.OneOf(SCOPES),
                          metadata={"description": "own (its organisation only) or subtree (it and all below); "
                                                   "by default subtree, or own when yours is"})


class KeySchema(ma.Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    prefix = fields.String(required=True, metadata={"description": "the key's first characters, to tell keys apart"})
    org = fields.Nested(OrgReferenceSchema, required=True, metadata={"description": "the organisation it acts for"})
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    created_at = fields.DateTime(required=True)
    created_by = ActorReference("created_by", "created_by_name", required=True,
                                metadata={"description": "who created it: the key or person, by name"})
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = ActorReference("revoked_by", "revoked_by_name", metadata={"description": "who revoked it"})


class KeyCreatedSchema(KeySchema):
    key = fields.String(required=True, metadata={"description": "the bearer token: shown this once, stored only as a hash"})


class KeyListArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like the services' list endpoints: unknown query parameters are ignored

    include_revoked = fields.Boolean(load_default=False)


KeyPageSchema = page_schema(KeySchema, "KeyPageSchema")
