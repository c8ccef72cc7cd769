"""`/api/v1/webhooks`: admins subscribe URLs to event types, list and delete the subscriptions of their scope, and read
each one's deliveries with every attempt."""
from __future__ import annotations

import uuid

from flask import Response, current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import current
from gateway.webhooks import deliveries, subscriptions, targets
from gateway.webhooks.schemas import (DeliveryPageSchema, WebhookCreateSchema, WebhookListArgs, WebhookPageSchema,
                                      WebhookSchema)
from servicekit.errors import InvalidInput

# Admins only (gateway/roles.py, area "webhooks"); each reaches the subscriptions of its own scope (404 beyond).
blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Webhooks: every event of the listed types in the subscription's scope is POSTed to "
                            "its URL, signed, retried for 24 hours, each attempt listed (gateway)")


def _settings():
    return current_app.extensions["erdm_webhooks"]


def _bootstrap_admin() -> bool:
    """Whether the bootstrap admin key is configured: its subscriptions stand only while it is (standing.py)."""
    return bool(current_app.extensions["erdm_settings"].admin_key)


def _answer(subscription: subscriptions.Subscription) -> dict:
    return {**subscription.__dict__, "org": subscription.org}


@blp.route("")
class Webhooks(MethodView):
    @blp.arguments(WebhookListArgs, location="query")
    @blp.response(200, WebhookPageSchema)
    def get(self, args):
        """The webhook subscriptions of your scope, newest first, without their secrets (admin)"""
        with current.database().session(readonly=True) as session:
            items, total = subscriptions.page(session=session, actor=g.actor, page=args["page"],
                                              per_page=args["per_page"], bootstrap_admin=_bootstrap_admin())
        return {"items": [_answer(item) for item in items], "total": total, "page": args["page"],
                "per_page": args["per_page"]}

    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookSchema, headers={"Location": {"description": "the new subscription",
                                                            "schema": {"type": "string"}}})
    @blp.alt_response(403, description="the caller acts for no organisation it reaches")
    def post(self, body):
        """Subscribe a URL to event types; it receives those of your organisation (and below, with subtree scope)
        (admin)"""
        if not _settings().allow_private:
            refused = targets.target_refusal(body["url"])
            if refused:
                raise InvalidInput({"url": [f"Not a place webhooks may go: {refused}."]})
        with current.database().transaction() as session:
            subscription = subscriptions.create(body["url"], body["events"], body["secret"], session=session,
                                                actor=g.actor, kind=g.get("actor_kind", "key"),
                                                now=current.now(), bootstrap_admin=_bootstrap_admin())
        return _answer(subscription), 201, {"Location": f"{blp.url_prefix}/{subscription.id}"}


@blp.route("/<uuid:subscription_id>")
class WebhookById(MethodView):
    @blp.response(200, WebhookSchema)
    @blp.alt_response(404, description="no subscription with this id in your scope")
    def get(self, subscription_id: uuid.UUID):
        """One webhook subscription of your scope, without its secret (admin)"""
        with current.database().session(readonly=True) as session:
            return _answer(subscriptions.get(subscription_id, session=session, actor=g.actor,
                                             bootstrap_admin=_bootstrap_admin()))

    @blp.response(204)
    @blp.alt_response(404, description="no subscription with this id in your scope")
    def delete(self, subscription_id: uuid.UUID):
        """Delete a subscription: nothing more is sent, its pending deliveries fail at once (admin)"""
        with current.database().transaction() as session:
            subscriptions.delete(subscription_id, session=session, actor=g.actor, now=current.now())
        return Response(status=204)


@blp.route("/<uuid:subscription_id>/deliveries")
class WebhookDeliveries(MethodView):
    @blp.arguments(WebhookListArgs, location="query")
    @blp.response(200, DeliveryPageSchema)
    @blp.alt_response(404, description="no subscription with this id in your scope")
    def get(self, args, subscription_id: uuid.UUID):
        """A subscription's deliveries, newest first, each with its status and every attempt (admin)"""
        with current.database().session(readonly=True) as session:
            subscriptions.get(subscription_id, session=session, actor=g.actor, bootstrap_admin=_bootstrap_admin())
            items, total = deliveries.page(subscription_id, session=session, page=args["page"],
                                           per_page=args["per_page"])
        return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}
