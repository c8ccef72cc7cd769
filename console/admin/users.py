"""People who sign in: the list with role, organisation and scope; creating a person, changing one."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.admin import blp, tree
from console.admin.forms import ROLES, UserCreateForm, UserEditForm, changes_to, fill_choices, show_refusal
from console.gateway_api import Refused

PER_PAGE = 50
# The list's filters, as the API names them; `active` is "true" or "false".
FILTERS = ("role", "org_id", "active")


@blp.get("/users")
def users():
    tops = tree.load()
    return _users_page(tops, fill_choices(UserCreateForm(), orgs=tree.chooser(tops)))


@blp.post("/users")
def create_user():
    tops = tree.load()
    form = fill_choices(UserCreateForm(), orgs=tree.chooser(tops))
    if not form.validate():
        return _users_page(tops, form), 422
    fields = {"username": form.username.data.strip(), "display_name": form.display_name.data.strip(),
              "password": form.password.data, "role": form.role.data, "org_id": form.org_id.data,
              "scope": form.scope.data}
    try:
        created = gateway_api.post("/users", fields)
    except Refused as refusal:
        status = show_refusal(form, refusal, fields={"org_code": "org_id"},
                              taken=("username", _("This username is taken (whatever its case).")))
        return _users_page(tops, form), status
    flash(_("%(name)s (%(username)s) may now sign in.", name=created["display_name"], username=created["username"]),
          "success")
    return redirect(url_for("admin.users"))


@blp.get("/users/<uuid:user_id>")
def user(user_id: uuid.UUID):
    record = gateway_api.get(f"/users/{user_id}")
    form = fill_choices(UserEditForm(data={key: record[key] for key in ("display_name", "role", "scope", "active")}))
    return render_template("admin/user.html", user=record, form=form)


@blp.post("/users/<uuid:user_id>")
def change_user(user_id: uuid.UUID):
    record = gateway_api.get(f"/users/{user_id}")
    form = fill_choices(UserEditForm())
    if not form.validate():
        return render_template("admin/user.html", user=record, form=form), 422
    changes = changes_to(record, {"display_name": form.display_name.data.strip(), "role": form.role.data,
                                  "scope": form.scope.data, "active": form.active.data})
    if form.password.data:
        changes["password"] = form.password.data
    if not changes:
        flash(_("Nothing was changed."), "info")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        changed = gateway_api.patch(f"/users/{user_id}", changes)
    except Refused as refusal:
        status = show_refusal(form, refusal)  # before the page is drawn: it shows the refusal beside its field
        return render_template("admin/user.html", user=record, form=form), status
    flash(_("%(name)s (%(username)s) saved.", name=changed["display_name"], username=changed["username"]), "success")
    return redirect(url_for("admin.user", user_id=user_id))


def _users_page(tops: list[tree.Node], form: UserCreateForm):
    chosen = {name: request.args.get(name) or None for name in FILTERS}
    listing = gateway_api.get("/users", page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", PER_PAGE, type=int), **chosen)
    return render_template("admin/users.html", listing=listing, form=form, chosen=chosen, roles=ROLES,
                           orgs=tree.chooser(tops, active_only=False))
