"""Files attached to a plan, a drill or a rectification order, on each one's page: the list, the upload form, the
download; the bytes pass through as a stream with the person's token, never held whole."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, g, redirect, session, stream_with_context, url_for
from flask import request
from flask_babel import gettext as _

from console import gateway_api
from console.gateway_api import Refused

blp = Blueprint("attachments", __name__)

# The record kinds with files: their API path → the page that shows one, and its id argument.
PAGES = {"plans": ("plans.plan_page", "plan_id"), "drills": ("drills.drill", "drill_id"),
         "rectification-orders": ("supervision.order", "order_id")}
# Who may add files (gateway/roles.py): a plan's or drill's are its planners', an order's the enterprise's answer and
# the inspector's. Others see the list without the form; the API stays the judge of each upload (scope).
UPLOADERS = {"plans": ("admin", "planner"), "drills": ("admin", "planner"),
             "rectification-orders": ("admin", "logistics", "planner", "inspector")}
REFUSED_KEY = "attachment_refused"  # the refusal an upload met, shown beside the file field once


def panel(kind: str, record_id) -> dict:
    """What the attachments panel of a record's page shows: the files, where to send one, a refusal to show."""
    listed = gateway_api.get(f"/{kind}/{record_id}/attachments", per_page=200)
    refused = session.pop(REFUSED_KEY, None)
    if refused and refused.get("record") != str(record_id):
        refused = None
    return {"files": listed.get("items", []), "total": listed.get("total", 0),
            "upload_url": url_for("attachments.upload", kind=kind, record_id=record_id),
            "may_upload": (g.get("me") or {}).get("role") in UPLOADERS[kind],
            "errors": (refused or {}).get("errors", [])}


@blp.post("/<any(plans, drills, 'rectification-orders'):kind>/<uuid:record_id>/attachments")
def upload(kind: str, record_id: uuid.UUID):
    """Send the chosen file on to the API (streamed from the form's temporary file) and go back to the page."""
    page, argument = PAGES[kind]
    back = url_for(page, **{argument: record_id}) + "#attachments"
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        session[REFUSED_KEY] = {"record": str(record_id), "errors": [_("Choose a file to attach.")]}
        return redirect(back, 303)
    try:
        kept = gateway_api.call("POST", f"/{kind}/{record_id}/attachments", files={
            "file": (chosen.filename, chosen.stream, chosen.mimetype or "application/octet-stream")}).json()
    except Refused as refusal:
        if refusal.status == 404:
            abort(404)
        errors = refusal.errors.get("file") or [refusal.detail]
        session[REFUSED_KEY] = {"record": str(record_id), "errors": errors}
        return redirect(back, 303)
    flash(_("%(name)s is attached.", name=kept.get("filename", "")), "success")
    return redirect(back, 303)


@blp.get("/attachments/<uuid:attachment_id>/content")
def content(attachment_id: uuid.UUID):
    """The file, passed on from the API as it arrives, under the name it was uploaded with."""
    try:
        answer = gateway_api.call("GET", f"/attachments/{attachment_id}/content", stream=True)
    except Refused as refusal:
        abort(404 if refusal.status == 404 else refusal.status)
    headers = {name: answer.headers[name] for name in ("Content-Type", "Content-Length", "Content-Disposition", "ETag")
               if name in answer.headers}
    headers.update({"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
    response = Response(stream_with_context(answer.iter_bytes()), headers=headers)
    response.call_on_close(answer.close)
    return response
