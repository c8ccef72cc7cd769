"""Sending one step of a drill (a button or a small form) and answering as every step does: back to the drill's page
with a word of success, or the page again with the refusal said where the person looks."""
from __future__ import annotations

import uuid

from flask import flash, redirect, url_for
from flask_wtf import FlaskForm

from console import gateway_api, refusals
from console.drills import conflicts, page
from console.drills.messages import translated
from console.gateway_api import Refused


def done(drill_id: uuid.UUID, message: str, anchor: str | None = None):
    flash(message, "success")
    return redirect(url_for("drills.drill", drill_id=drill_id, _anchor=anchor))


def button(drill_id: uuid.UUID, action: str, *, succeeded: str):
    """A step with no form (start, retry): a 409 is said above the page."""
    try:
        gateway_api.post(f"/drills/{drill_id}/{action}", {})
    except Refused as refusal:
        if refusal.status != 409:
            raise
        return page.show(drill_id, status=409, notice=conflicts.explained(refusal).detail)
    return done(drill_id, succeeded)


def form(drill_id: uuid.UUID, action: str, sent: FlaskForm, *, slot: str, succeeded: str,
         otherwise: str | None = None, fields: dict | None = None, anchor: str | None = None):
    """A step with a form (cancel, evaluation, finding): a 409 or 422 put on the form, shown in its `slot`."""
    try:
        gateway_api.post(f"/drills/{drill_id}/{action}", sent.payload())
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        said = conflicts.explained(translated(refusal), otherwise=otherwise)
        refusals.apply(sent, said, fields=fields)
        return page.show(drill_id, status=refusal.status, **{slot: sent})
    return done(drill_id, succeeded, anchor)
