"""The lists a drill form or filter chooses from, each entry said as `CODE 名称`."""
from __future__ import annotations

import uuid

from flask import request
from flask_babel import gettext as _

from console import gateway_api
from console.filters import named

# Plans that may have drills: approved ones, and retired ones that had them before retirement.
DRILLED_PLAN_STATUSES = ("approved", "retired")


def approved_plan_choices() -> list[tuple[str, str]]:
    """The plans a drill may be scheduled for (approved only), for a <select>, with a first empty choice."""
    plans = gateway_api.all_pages("/plans", status="approved")
    return [("", _("Choose a plan"))] + [(plan["id"], named(plan)) for plan in plans]


def drilled_plans() -> list[dict]:
    """The plans in the caller's scope whose drills may be listed, approved first."""
    plans = [plan for status in DRILLED_PLAN_STATUSES for plan in gateway_api.all_pages("/plans", status=status)]
    return sorted(plans, key=lambda plan: (plan.get("status") != "approved", plan.get("code") or ""))


def plan_filter_choices(plans: list[dict], *, everything: str) -> list[tuple[str, str]]:
    return [("", everything)] + [(plan["id"], named(plan)) for plan in plans]


def plan_names(plans: list[dict]) -> dict[str, str]:
    """plan id → `CODE 标题`, for records that carry only a plan's id (calendar feeds)."""
    return {plan["id"]: named(plan) for plan in plans}


def catalog_items() -> list[dict]:
    """The catalog's items (active ones), for the item-code suggestions of a resources line."""
    return gateway_api.all_pages("/items")


def id_arg(name: str) -> str | None:
    """The query parameter `name` if it is an id; anything else is no filter (never a refusal page)."""
    text = request.args.get(name) or ""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None
