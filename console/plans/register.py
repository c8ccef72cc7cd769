"""The plan register: every plan in the person's scope with its status, version and due dates, compliance in
colour; filtered by type, status, compliance, a late filing, and code or title."""
from __future__ import annotations

import uuid

from flask import render_template, request

from console import gateway_api
from console.gateway_api import GatewayDown, Refused
from console.plans import blp, dues
from console.plans.forms import PLAN_TYPES

STATUSES = ("draft", "in_review", "approved", "retired")
COMPLIANCE = ("overdue", "due_soon", "ok")
PAGE_SIZES = (20, 50, 100)


def _one_of(name: str, allowed) -> str | None:
    # Anything else is left out rather than sent: a hand-edited address shows the whole register, not a 422.
    value = request.args.get(name)
    return value if value in allowed else None


def _positive(name: str, default: int) -> int:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else default


def _an_id(name: str) -> str | None:
    try:
        return str(uuid.UUID(request.args.get(name) or ""))
    except ValueError:
        return None


def filters() -> dict:
    """The register's filters as the API takes them; None for a filter not set."""
    per_page = _positive("per_page", PAGE_SIZES[0])
    return {
        # A warning's id: the approved special plans to open for it (the plans service matches its kind).
        "activated_by": _an_id("activated_by"),
        "type": _one_of("type", PLAN_TYPES),
        "status": _one_of("status", STATUSES),
        "compliance": _one_of("compliance", COMPLIANCE),
        "filing_overdue": _one_of("filing_overdue", ("true",)),
        "q": (request.args.get("q") or "").strip()[:100] or None,
        "page": _positive("page", 1),
        "per_page": per_page if per_page in PAGE_SIZES else PAGE_SIZES[0],
    }


@blp.get("/")
def register():
    chosen = filters()
    listing = gateway_api.get("/plans", **chosen)
    return render_template("plans/register.html", listing=listing, chosen=chosen, plan_types=PLAN_TYPES,
                           statuses=STATUSES, compliance_values=COMPLIANCE, page_sizes=PAGE_SIZES,
                           today=dues.today(), warning=_warning(chosen["activated_by"]))


def _warning(warning_id: str | None) -> dict | None:
    """The warning whose plans are listed, to name it above them; None when none is, or it cannot be read (the
    heading then names no code)."""
    if not warning_id:
        return None
    try:
        return gateway_api.get(f"/warnings/{warning_id}")
    except (Refused, GatewayDown):
        return None
