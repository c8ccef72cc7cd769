"""API keys: the list, creating one (its secret shown once, on the answer to the form), revoking one."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.admin import blp, tree
from console.admin.forms import KeyCreateForm, fill_choices, show_refusal
from console.gateway_api import Refused

PER_PAGE = 50


@blp.get("/keys")
def keys():
    tops = tree.load()
    return _keys_page(_create_form(tops))


@blp.post("/keys")
def create_key():
    form = _create_form(tree.load())
    if not form.validate():
        return _keys_page(form), 422
    try:
        created = gateway_api.post("/keys", {"name": form.name.data.strip(), "role": form.role.data,
                                             "org_id": form.org_id.data, "scope": form.scope.data})
    except Refused as refusal:
        status = show_refusal(form, refusal, fields={"org_code": "org_id"},
                              taken=("name", _("A key with this name exists already: revoke it or choose another "
                                               "name.")))
        return _keys_page(form), status
    # The secret exists here only for this one answer: not in the session, not in a flash, not in a URL. The
    # page is not cached (text/html answers are no-store), so going back does not show it again.
    return render_template("admin/key_created.html", key=created), 201


@blp.post("/keys/<uuid:key_id>/revoke")
def revoke_key(key_id: uuid.UUID):
    try:
        gateway_api.delete(f"/keys/{key_id}")
    except Refused as refusal:
        if refusal.status != 404:
            raise
        # Most often a second click on the same button.
        flash(_("That key was revoked already, or it lies outside your organisation."), "error")
    else:
        flash(_("The key was revoked: calls made with it are refused from now on."), "success")
    return redirect(url_for("admin.keys"))


def _create_form(tops: list[tree.Node]) -> KeyCreateForm:
    return fill_choices(KeyCreateForm(), orgs=tree.chooser(tops))


def _keys_page(form: KeyCreateForm):
    include_revoked = request.args.get("include_revoked") == "true"
    listing = gateway_api.get("/keys", page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", PER_PAGE, type=int),
                              include_revoked="true" if include_revoked else None)
    return render_template("admin/keys.html", listing=listing, form=form, include_revoked=include_revoked)
