"""Admin pages: the organisation tree, people, API keys, webhook subscriptions."""
from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_babel import gettext as _

from console.admin.forms import ORG_KINDS

blp = Blueprint("admin", __name__, url_prefix="/admin")


@blp.before_request
def _administrators_only():
    # The navigation shows this area to administrators only, and every change made here (and reading keys) is
    # the admin role's alone at the API: anyone else who opens the area is told so rather than shown forms
    # that would all be refused.
    if (g.get("me") or {}).get("role") != "admin":
        return render_template("error.html", status=403,
                               message=_("The admin area is for administrators.")), 403
    return None


@blp.context_processor
def _admin_words():
    return {"org_kind": lambda kind: str(ORG_KINDS.get(kind, kind))}


# The views register themselves on `blp`; one module per job.
from console.admin import keys, orgs, users, webhooks  # noqa: F401
