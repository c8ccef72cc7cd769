"""Calendar feeds: a secret URL a person pastes into Outlook, Google or Apple Calendar to see the drills they may
see. The URL is answered once, at creation; the console shows it once and keeps no copy."""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from console import gateway_api, refusals
from console.drills import blp
from console.drills.messages import translated
from console.gateway_api import Refused

# Where the URL of a feed just made waits for the calendar page to show it (the server-side session).
JUST_MADE = "drills.feed_just_made"


class FeedForm(FlaskForm):
    name = StringField(_l("Name of the feed"), validators=[InputRequired()],
                       render_kw={"placeholder": _l("e.g. the duty office's Outlook")})
    plan_id = SelectField(_l("Drills of"), choices=[], validate_choice=False)


def listing() -> dict:
    return gateway_api.get("/calendar-feeds", per_page=100)


def full_url(answered: str) -> str:
    """The feed's URL as a calendar client needs it: the address the person's browser reached the gateway at (the
    gateway names it to the console in X-Forwarded-Host/-Proto) and the feed's path. The gateway's own answer
    carries the internal address the console called it at, which a calendar client outside may not reach."""
    return request.host_url.rstrip("/") + "/" + urlsplit(answered).path.lstrip("/")


def take_just_made() -> dict | None:
    """The feed made a moment ago, {name, url}, once: a reload no longer shows its secret URL."""
    return session.pop(JUST_MADE, None)


@blp.post("/feeds")
def create_feed():
    from console.drills import calendar  # the page the form is on, shown again when the form is refused

    form = FeedForm()
    payload = {"name": (form.name.data or "").strip()}
    if form.plan_id.data:
        payload["plan_id"] = form.plan_id.data
    try:
        made = gateway_api.post("/calendar-feeds", payload)
    except Refused as refusal:
        if refusal.status != 422:
            raise
        refusals.apply(form, translated(refusal))
        return calendar.page(feed_form=form, status=422)
    session[JUST_MADE] = {"name": payload["name"], "url": full_url(made["url"])}
    return redirect(url_for("drills.calendar", _anchor="feeds"))


@blp.post("/feeds/<uuid:feed_id>/delete")
def delete_feed(feed_id: uuid.UUID):
    gateway_api.delete(f"/calendar-feeds/{feed_id}")
    flash(_("The feed is deleted: its URL no longer answers."), "success")
    return redirect(url_for("drills.calendar", _anchor="feeds"))
