"""The home page: what needs doing within the signed-in person's scope, each line linking to its page."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, copy_current_request_context, render_template

from console import gateway_api
from console.gateway_api import GatewayDown, Refused

blp = Blueprint("home", __name__)

# What the home page asks, all at once (each a call through the gateway, in the caller's scope).
PANELS = {
    "readiness": ("/readiness", {"per_page": 100}),
    "overdue_plans": ("/plans", {"compliance": "overdue", "per_page": 20}),
    "due_soon_plans": ("/plans", {"compliance": "due_soon", "per_page": 20}),
    "upcoming_drills": ("/drills", {"upcoming": "true", "per_page": 20}),
    "overdue_actions": ("/corrective-actions", {"overdue": "true", "per_page": 20}),
    "alerts": ("/alerts", {"within_days": 30, "per_page": 50}),
}


@blp.get("/")
def index():
    panels, unavailable = _gather()
    readiness = panels.get("readiness") or {"items": []}
    short = [plan for plan in readiness.get("items", []) if plan.get("shortfall")]
    return render_template("home.html", panels=panels, short_plans=short, unavailable=unavailable,
                           partial=readiness.get("partial", False))


def _gather() -> tuple[dict[str, dict], list[str]]:
    """Every panel's answer; a panel whose service is down or whose area the role may not read is left empty
    and named, so the page still shows the rest."""

    def fetch(name: str) -> tuple[str, dict | None]:
        path, params = PANELS[name]
        try:
            return name, gateway_api.get(path, **params)
        except (GatewayDown, Refused):
            return name, None

    with ThreadPoolExecutor(max_workers=len(PANELS)) as pool:
        # One copy of the request context per call, made here in the request's thread.
        futures = [pool.submit(copy_current_request_context(fetch), name) for name in PANELS]
        results = [future.result() for future in futures]
    return ({name: body for name, body in results if body is not None},
            [name for name, body in results if body is None])
