"""The webhooks API's request and answer shapes (marshmallow): unknown fields refused, the secret never answered."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from contracts.events import REGISTRY
from gateway.models import SCOPES
from gateway.org_schemas import OrgReferenceSchema
from gateway.webhooks import standing, targets
from gateway.webhooks.deliveries import STATUSES
from servicekit.references import ActorReference
from servicekit.schemas import PageArgs, Schema, page_schema

MIN_SECRET_LENGTH, MAX_SECRET_LENGTH = 16, 200


def _webhook_url(value: str) -> None:
    problem = targets.url_problem(value)
    if problem:
        raise ma.ValidationError(problem)


def _known_event_types(values: list[str]) -> None:
    if not values:
        raise ma.ValidationError("List at least one event type.")
    unknown = sorted({value for value in values if value not in REGISTRY})
    if unknown:
        raise ma.ValidationError(f"Unknown event types: {', '.join(unknown)}. Known ones: {', '.join(sorted(REGISTRY))}.")


class WebhookCreateSchema(Schema):
    url = fields.String(required=True, validate=_webhook_url,
                        metadata={"description": "where each event is POSTed: http or https, without user name, "
                                                 f"password or fragment, at most {targets.MAX_URL_LENGTH} characters; "
                                                 "redirects are not followed"})
    events = fields.List(fields.String(validate=validate.Length(min=1, max=80)), required=True,
                         validate=[validate.Length(max=len(REGISTRY) + 10), _known_event_types],
                         metadata={"description": "the event types to receive, e.g. [\"drill.completed\"]",
                                   "example": ["drill.completed"]})
    secret = fields.String(required=True, load_only=True,
                           validate=validate.Length(min=MIN_SECRET_LENGTH, max=MAX_SECRET_LENGTH),
                           metadata={"description": "signs every delivery (X-ERDM-Webhook-Signature: "
                                                    "sha256=<HMAC-SHA256 of the body>); kept by the gateway, "
                                                    "never shown back"})

    @ma.post_load
    def _once_each(self, data, **_kwargs):
        data["events"] = list(dict.fromkeys(data["events"]))  # in the order given, each once
        return data


class WebhookSchema(ma.Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    org = fields.Nested(OrgReferenceSchema, required=True,
                        metadata={"description": "whose events it receives: its creator's organisation"})
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES),
                          metadata={"description": "own (that organisation's events) or subtree (and every one "
                                                   "below it): its creator's, as of its creation"})
    created_at = fields.DateTime(required=True)
    created_by = ActorReference("created_by", "created_by_name", required=True)
    active = fields.Boolean(required=True, metadata={
        "description": "whether it delivers: only while its creator (the API key or person that made it) is live "
                       "and an admin, checked as each event arrives and before each delivery is sent"})
    inactive_reason = fields.String(required=True, allow_none=True,
                                    validate=validate.OneOf([standing.CREATOR_INACTIVE, standing.CREATOR_NOT_ADMIN]),
                                    metadata={"description": "why it is not active: creator_inactive (its key was "
                                                             "revoked, or the person deactivated) or "
                                                             "creator_not_admin; null while active"})


class AttemptSchema(ma.Schema):
    at = fields.String(required=True, metadata={"description": "when the attempt began (ISO 8601)"})
    status_code = fields.Integer(required=True, allow_none=True,
                                 metadata={"description": "the receiver's status; null when none came back"})
    duration_ms = fields.Float(required=True)
    error = fields.String(required=True, allow_none=True, metadata={"description": "why it failed; null on a 2xx"})


class DeliverySchema(ma.Schema):
    id = fields.UUID(required=True, metadata={"description": "sent as X-ERDM-Webhook-Id"})
    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    occurred_at = fields.DateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    attempts = fields.List(fields.Nested(AttemptSchema), required=True, metadata={"description": "oldest first"})
    next_attempt_at = fields.DateTime(required=True, allow_none=True,
                                      metadata={"description": "when it is tried next; null once delivered or failed"})
    error = fields.String(required=True, allow_none=True,
                          metadata={"description": "why it was failed without a further attempt (its creator no "
                                                   "longer active or an admin, its subscription deleted, its "
                                                   "retry window over); null otherwise"})


class WebhookListArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like every list endpoint: unknown query parameters are ignored


WebhookPageSchema = page_schema(WebhookSchema, "WebhookPageSchema")
DeliveryPageSchema = page_schema(DeliverySchema, "DeliveryPageSchema")
