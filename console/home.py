"""The home page: what needs doing within the signed-in person's scope, each line linking to its page."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, copy_current_request_context, render_template

from console import gateway_api
from console.gateway_api import GatewayDown, Refused
from console.supervision.vocabulary import OPEN_ORDER_STATUSES

blp = Blueprint("home", __name__)

# How many lines a panel lists; its heading counts them all and links to the whole list.
SHOWN = 10
READINESS_PAGE = 500  # the gateway's largest page
READINESS_PAGES = 20  # 10,000 approved plans: more than a city holds


def _readiness() -> dict:
    """Every approved plan's readiness (only those short of stock are shown, so all are read, page by page)."""
    items: list[dict] = []
    partial = False
    for page in range(1, READINESS_PAGES + 1):
        body = gateway_api.get("/readiness", page=page, per_page=READINESS_PAGE)
        items += body.get("items", [])
        partial = partial or bool(body.get("partial"))
        if len(items) >= body.get("total", 0) or not body.get("items"):
            break
    else:
        partial = True
    return {"items": items, "total": len(items), "partial": partial}


def _listing(path: str, **params) -> Callable[[], dict]:
    return lambda: gateway_api.get(path, page=1, **params)


# What the home page asks, all at once: each a call through the gateway, answered within the caller's scope.
CALLS: dict[str, Callable[[], dict]] = {
    "readiness": _readiness,
    "overdue_plans": _listing("/plans", compliance="overdue", per_page=SHOWN),
    "due_soon_plans": _listing("/plans", compliance="due_soon", per_page=SHOWN),
    "upcoming_drills": _listing("/drills", upcoming="true", per_page=SHOWN),
    "overdue_actions": _listing("/corrective-actions", overdue="true", per_page=SHOWN),
    "alerts": _listing("/alerts", within_days=30, per_page=SHOWN),
    # Rectification orders not closed, one status at a time (the list filters one), and the overdue among them.
    **{f"{status}_orders": _listing("/rectification-orders", status=status, per_page=SHOWN)
       for status in OPEN_ORDER_STATUSES},
    "overdue_orders": _listing("/rectification-orders", overdue="true", per_page=SHOWN),
    "live_warnings": _listing("/warnings", status="issued", per_page=SHOWN),
}
ORDER_CALLS = [*(f"{status}_orders" for status in OPEN_ORDER_STATUSES), "overdue_orders"]


@blp.get("/")
def index():
    answers, failed, forbidden = _gather()
    short_plans = [plan for plan in (answers.get("readiness") or {}).get("items", []) if plan.get("shortfall")]
    due_plans = [*(answers.get("overdue_plans") or {}).get("items", []),
                 *(answers.get("due_soon_plans") or {}).get("items", [])]
    return render_template("home.html", answers=answers, failed=failed, forbidden=forbidden,
                           short_plans=short_plans, due_plans=due_plans, shown=SHOWN,
                           open_orders=_open_orders(answers), order_calls=ORDER_CALLS)


def _open_orders(answers: dict[str, dict]) -> dict:
    """The orders not yet closed: how many (None unless every status was read), the first few with the overdue
    ones first (most overdue first, then by due date), and how many are overdue (None when that call failed)."""
    listings = [answers.get(f"{status}_orders") for status in OPEN_ORDER_STATUSES]
    overdue = answers.get("overdue_orders")
    found = {order["id"]: order for listing in [overdue, *listings] if listing for order in listing.get("items", [])}
    first = sorted(found.values(), key=lambda order: (not order.get("overdue"), order.get("due_date") or ""))
    return {"total": sum(listing.get("total", 0) for listing in listings) if all(listings) else None,
            "overdue": overdue.get("total", 0) if overdue else None, "items": first[:SHOWN]}


def _gather() -> tuple[dict[str, dict], set[str], set[str]]:
    """Every call's answer, and the calls that failed (the service is down, or it refused for another reason:
    their panel says so) and those the role may not make (403: their panel is left out). The rest still shows.
    A lapsed session (SignedOut) is not caught: the person signs in again."""

    def fetch(name: str) -> tuple[str, dict | None, int | None]:
        try:
            return name, CALLS[name](), None
        except GatewayDown:
            return name, None, 503
        except Refused as refusal:
            return name, None, refusal.status

    with ThreadPoolExecutor(max_workers=len(CALLS)) as pool:
        # One copy of the request context per call, made here in the request's thread.
        futures = [pool.submit(copy_current_request_context(fetch), name) for name in CALLS]
        results = [future.result() for future in futures]
    answers = {name: body for name, body, _status in results if body is not None}
    forbidden = {name for name, _body, status in results if status == 403}
    failed = {name for name, body, status in results if body is None and status != 403}
    return answers, failed, forbidden
