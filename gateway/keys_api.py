"""`/api/v1/keys`: admins create (shown once), list (never the secret) and revoke API keys."""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict

import marshmallow as ma
from flask import Blueprint, Response, current_app, g, jsonify, request

from gateway import current, keys, refusals
from gateway.bodies import read_body
from gateway.schemas import KeyCreateSchema, KeyCreatedSchema, KeyListArgs, KeyPageSchema, KeySchema
from servicekit import json_body
from servicekit.errors import DomainError
from servicekit.problems import problem

# Roles were checked before any of these views runs (gateway/roles.py: area "keys", admin only).
blp = Blueprint("keys", __name__, url_prefix="/api/v1/keys")



def _refused(error: DomainError) -> Response:
    return refusals.answer(error)


def _answer(key: keys.ApiKey) -> dict:
    return {**asdict(key), "org": key.org}


@blp.post("")
def create_key():
    settings = current_app.extensions["erdm_settings"]
    raw = read_body(settings.max_body_bytes)
    if raw is None:
        return problem(413, f"request body is larger than the {settings.max_body_bytes} bytes allowed here")
    refused = json_body.refusal(raw)
    if refused is not None:
        return refused
    data = json.loads(raw) if raw else None  # checked above: JSON, shallow, every string Unicode
    try:
        fields = KeyCreateSchema().load(data if data is not None else {})
    except ma.ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return problem(422, "Some fields are invalid: " + ", ".join(sorted(errors)), errors=errors)
    try:
        with current.database().transaction() as session:
            key, token = keys.create(fields["name"], fields["role"], session=session, actor=g.actor,
                                     org_id=fields.get("org_id"), org_code=fields.get("org_code"),
                                     scope=fields.get("scope"))
    except DomainError as error:
        return _refused(error)
    body = KeyCreatedSchema().dump({**_answer(key), "key": token})
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/keys/{key.id}"
    # The only answer that ever carries the token: no cache or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.get("")
def list_keys():
    try:
        args = KeyListArgs().load(request.args.to_dict())
    except ma.ValidationError as exc:
        return problem(422, "Some query parameters are invalid: " + ", ".join(sorted(exc.messages)),
                       errors=exc.messages)
    with current.database().session(readonly=True) as session:
        items, total = keys.page(session=session, actor=g.actor, page=args["page"], per_page=args["per_page"],
                                 include_revoked=args["include_revoked"])
    return jsonify(KeyPageSchema().dump(
        {"items": [_answer(key) for key in items], "total": total, "page": args["page"], "per_page": args["per_page"]}
    ))


@blp.get("/<key_id>")
def show_key(key_id: str):
    """The record a created key's Location names; a revoked key still answers (who had access is history)."""
    try:
        parsed = uuid.UUID(key_id)
    except ValueError:
        return problem(404, f"no key with id {key_id}")
    with current.database().session(readonly=True) as session:
        try:
            key = keys.get(parsed, session=session, actor=g.actor)
        except DomainError as error:
            return _refused(error)
    return jsonify(KeySchema().dump(_answer(key)))


@blp.delete("/<key_id>")
def revoke_key(key_id: str):
    try:
        parsed = uuid.UUID(key_id)
    except ValueError:
        return problem(404, f"no live key with id {key_id}")
    try:
        with current.database().transaction() as session:
            keys.revoke(parsed, session=session, actor=g.actor)
    except DomainError as error:
        return _refused(error)
    return Response(status=204)
