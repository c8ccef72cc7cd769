"""Webhook subscriptions: the list, subscribing a URL to events (grouped by the service that announces them),
deleting one, and a subscription's page with its deliveries and every attempt."""
from __future__ import annotations

import secrets
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from console import gateway_api
from console.admin import blp
from console.admin.forms import WebhookCreateForm, show_refusal
from console.gateway_api import Refused
from contracts.events import REGISTRY

PER_PAGE = 50
# The services that announce events (contracts/events: each type's SOURCE), in the order the console's areas go.
SERVICES = {"resources": _l("Stock"), "plans": _l("Plans"), "drills": _l("Drills"),
            "supervision": _l("Supervision"), "gateway": _l("Organisations")}
STATUSES = {"pending": _l("Waiting to be sent"), "delivered": _l("Delivered"), "failed": _l("Not delivered")}
# Why the API lists a subscription inactive (gateway/webhooks/standing.py).
REASONS = {"creator_inactive": _l("Its creator is no longer active: the key was revoked or the person deactivated."),
           "creator_not_admin": _l("Its creator is no longer an administrator.")}


def event_groups() -> list[tuple[str, list[str]]]:
    """(the service's word, its event types sorted) for each service that announces any."""
    by_source: dict[str, list[str]] = {}
    for name, payload in REGISTRY.items():
        by_source.setdefault(payload.SOURCE, []).append(name)
    order = [*SERVICES, *sorted(set(by_source) - set(SERVICES))]
    return [(str(SERVICES.get(source, source)), sorted(by_source[source])) for source in order if source in by_source]


@blp.context_processor
def _webhook_words():
    return {"delivery_status": lambda status: str(STATUSES.get(status, status)),
            "inactive_reason": lambda reason: str(REASONS.get(reason, reason or ""))}


@blp.get("/webhooks")
def webhooks():
    return _webhooks_page(_create_form(data={"secret": secrets.token_urlsafe(32)}))


@blp.post("/webhooks")
def create_webhook():
    form = _create_form()
    if not form.validate():
        return _webhooks_page(form), 422
    try:
        created = gateway_api.post("/webhooks", {"url": form.url.data.strip(), "events": form.events.data,
                                                 "secret": form.secret.data})
    except Refused as refusal:
        status = show_refusal(form, refusal)  # before the page is drawn: it shows the refusal beside its field
        return _webhooks_page(form), status
    flash(_("%(url)s is subscribed: it receives the ticked events from now on.", url=created["url"]), "success")
    return redirect(url_for("admin.webhook", subscription_id=created["id"]))


@blp.get("/webhooks/<uuid:subscription_id>")
def webhook(subscription_id: uuid.UUID):
    subscription = gateway_api.get(f"/webhooks/{subscription_id}")
    deliveries = gateway_api.get(f"/webhooks/{subscription_id}/deliveries",
                                 page=request.args.get("page", 1, type=int),
                                 per_page=request.args.get("per_page", PER_PAGE, type=int))
    return render_template("admin/webhook.html", subscription=subscription, deliveries=deliveries)


@blp.post("/webhooks/<uuid:subscription_id>/delete")
def delete_webhook(subscription_id: uuid.UUID):
    try:
        gateway_api.delete(f"/webhooks/{subscription_id}")
    except Refused as refusal:
        if refusal.status != 404:
            raise
        # Most often a second click on the same button.
        flash(_("That subscription was deleted already, or it lies outside your organisation."), "error")
    else:
        flash(_("The subscription was deleted: nothing more is sent to its URL."), "success")
    return redirect(url_for("admin.webhooks"))


def _create_form(**kwargs) -> WebhookCreateForm:
    form = WebhookCreateForm(**kwargs)
    form.events.choices = [(name, name) for _service, names in event_groups() for name in names]
    return form


def _webhooks_page(form: WebhookCreateForm):
    listing = gateway_api.get("/webhooks", page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", PER_PAGE, type=int))
    return render_template("admin/webhooks.html", listing=listing, form=form, groups=event_groups())
