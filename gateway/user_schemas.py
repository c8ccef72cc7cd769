"""The people and session request and answer shapes (marshmallow): unknown fields refused, a password only ever read."""
from __future__ import annotations

import re

import marshmallow as ma
from marshmallow import fields, validate

from gateway import passwords
from gateway.models import SCOPES
from gateway.org_schemas import OrgReferenceSchema
from gateway.roles import ROLES
from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, Text, page_schema

# ASCII, so that "the same whatever its case" means the same on SQLite and PostgreSQL (gateway/models.py).
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


def _username_shape(value: str) -> None:
    if not USERNAME_PATTERN.fullmatch(value):
        raise ma.ValidationError("Must be ASCII letters, digits, '.', '_', '@' or '-', "
                                 "starting with a letter or digit.")


def _password(**kwargs) -> fields.String:
    # load_only: a schema that dumps never has a password to show, even by mistake.
    return fields.String(load_only=True, validate=validate.Length(min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH),
                         **kwargs)


class UserFields(Schema):
    """What a create and a change share."""

    display_name = Text(100, metadata={"description": "the name people read, e.g. 张伟"})
    role = fields.String(validate=validate.OneOf(ROLES), metadata={"description": "see the gateway's roles table"})
    scope = fields.String(validate=validate.OneOf(SCOPES),
                          metadata={"description": "own (the organisation only) or subtree (it and all below); "
                                                   "never wider than yours"})


class UserCreateSchema(UserFields):
    username = fields.String(required=True, validate=[validate.Length(min=1, max=64), _username_shape],
                             metadata={"description": "what the person signs in with, e.g. zhang.wei; unique "
                                                      "whatever its case", "pattern": f"^{USERNAME_PATTERN.pattern}$"})
    display_name = Text(100, required=True, metadata={"description": "the name people read, e.g. 张伟"})
    password = _password(required=True, metadata={"description": f"at least {passwords.MIN_LENGTH} characters; "
                                                                 "stored as an argon2id hash, never answered"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES),
                         metadata={"description": "see the gateway's roles table"})
    org_id = fields.UUID(metadata={"description": "the organisation the person acts for (or give `org_code`); by "
                                                  "default yours, and never one outside your scope"})
    org_code = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "the organisation's code, instead of `org_id`"})


class UserPatchSchema(UserFields):
    active = fields.Boolean(metadata={"description": "false: the person can no longer sign in, and every session "
                                                     "of theirs ends at once"})
    password = _password(metadata={"description": "a new password; every session of the person ends at once"})


class UserSchema(ma.Schema):
    id = fields.UUID(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org = fields.Nested(OrgReferenceSchema, required=True, metadata={"description": "the organisation it acts for"})
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    active = fields.Boolean(required=True)
    last_sign_in_at = fields.DateTime(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    created_by = ActorReference("created_by", "created_by_name", required=True)
    updated_at = fields.DateTime(required=True)
    updated_by = ActorReference("updated_by", "updated_by_name", required=True)


class UserListArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like every list endpoint: unknown query parameters are ignored

    active = fields.Boolean()
    role = fields.String(validate=validate.OneOf(ROLES))
    org_id = fields.UUID()


UserPageSchema = page_schema(UserSchema, "UserPageSchema")


class SignInSchema(Schema):
    # Only bounded here, not shaped: a name that cannot exist is refused like any wrong one (401).
    username = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=passwords.MAX_LENGTH))


class SignedInSchema(ma.Schema):
    token = fields.String(required=True, metadata={"description": "the bearer token (Authorization: Bearer …): "
                                                                  "shown this once, stored only as a hash"})
    expires_at = fields.DateTime(required=True, metadata={"description": "12 hours from now; it ends sooner after "
                                                                         "30 minutes unused or at sign-out"})
    user = fields.Nested(UserSchema, required=True)
