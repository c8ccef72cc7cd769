"""Organisations: the tree with each one's kind, district, industries and heads; creating one, changing one."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.admin import blp, tree
from console.admin.forms import (OrgCreateForm, OrgEditForm, changes_to, deputies_text, deputy_lines,
                                 fill_choices, principal_of, show_refusal)
from console.filters import named
from console.gateway_api import Refused

# The API's names for the form's fields where they differ (a nested head's name and title).
ORG_FIELDS = {"principal": "principal_name", "principal.name": "principal_name",
              "principal.title": "principal_title", "parent_code": "parent_id"}


@blp.get("/")
def orgs():
    tops = tree.load()
    return _tree_page(tops, _create_form(tops))


@blp.post("/")
def create_org():
    tops = tree.load()
    form = _create_form(tops)
    if not form.validate():
        return _tree_page(tops, form), 422
    fields = {"parent_id": form.parent_id.data, "code": form.code.data.strip(), "name": form.name.data.strip(),
              "kind": form.kind.data, "industries": form.industries.data or [],
              "deputies": deputy_lines(form.deputies.data)}
    if (form.district.data or "").strip():
        fields["district"] = form.district.data.strip()
    if principal_of(form):
        fields["principal"] = principal_of(form)
    try:
        created = gateway_api.post("/orgs", fields)
    except Refused as refusal:
        status = show_refusal(form, refusal, fields=ORG_FIELDS,
                              taken=("code", _("Another organisation has this code already.")))
        return _tree_page(tops, form), status
    flash(_("Organisation %(org)s created.", org=named(created)), "success")
    return redirect(url_for("admin.orgs"))


@blp.get("/orgs/<uuid:org_id>")
def org(org_id: uuid.UUID):
    record = gateway_api.get(f"/orgs/{org_id}")
    form = fill_choices(OrgEditForm(data={
        "name": record["name"], "district": record.get("district") or "", "industries": record.get("industries") or [],
        "principal_name": (record.get("principal") or {}).get("name", ""),
        "principal_title": (record.get("principal") or {}).get("title") or "",
        "deputies": deputies_text(record.get("deputies")), "active": record.get("active", True)}))
    return _org_page(record, form)


@blp.post("/orgs/<uuid:org_id>")
def change_org(org_id: uuid.UUID):
    record = gateway_api.get(f"/orgs/{org_id}")
    form = fill_choices(OrgEditForm())
    if not form.validate():
        return _org_page(record, form), 422
    # An emptied field clears it (null, or an empty list). The code and the parent never change.
    changes = changes_to(record, {
        "name": form.name.data.strip(), "district": (form.district.data or "").strip() or None,
        "industries": form.industries.data or [], "principal": principal_of(form),
        "deputies": deputy_lines(form.deputies.data), "active": form.active.data})
    if not changes:
        flash(_("Nothing was changed."), "info")
        return redirect(url_for("admin.org", org_id=org_id))
    try:
        changed = gateway_api.patch(f"/orgs/{org_id}", changes)
    except Refused as refusal:
        status = show_refusal(form, refusal, fields=ORG_FIELDS)  # before the page is drawn, as above
        return _org_page(record, form), status
    flash(_("Organisation %(org)s saved.", org=named(changed)), "success")
    return redirect(url_for("admin.org", org_id=org_id))


def _create_form(tops: list[tree.Node]) -> OrgCreateForm:
    return fill_choices(OrgCreateForm(), orgs=tree.chooser(tops))


def _tree_page(tops: list[tree.Node], form: OrgCreateForm):
    return render_template("admin/orgs.html", rows=list(tree.walk(tops)), form=form)


def _org_page(record: dict, form: OrgEditForm):
    return render_template("admin/org.html", org=record, form=form)
