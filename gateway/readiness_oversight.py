"""The readiness view's oversight part: open and overdue rectification orders and live severe-weather warnings within
the caller's scope, as the supervision service counts them.

The gateway computes no rule of its own here either: an order is open or overdue, a target unanswered, by the
service's own answers (each status counted by its list's `total`, asked one row long, so a city's thousand orders
cost four small answers). A service that cannot be asked makes the part null and names it, never a failure.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

from contracts.catalogue import SUPERVISION
from gateway.upstream import Unavailable
from servicekit.signing import sign

ORDERS, WARNINGS = "/rectification-orders", "/warnings"
OPEN_STATUSES = ("issued", "acknowledged", "reported")  # every status of an order but closed
LIVE_WARNINGS_PER_PAGE = 500  # live warnings are few: a city issues a handful at once


def _asker(upstream, actor, request_id: str):
    def ask(path: str, params: dict[str, str]) -> dict[str, Any]:
        target = f"/api/v1{path}?{urlencode(params)}"
        headers = {"X-Request-ID": request_id, **sign(upstream.settings.internal_secret, "GET", target, actor)}
        answer = upstream.ask(SUPERVISION, "GET", target, expect_ok=True, headers=headers)
        try:
            body = answer.json()
            body["total"], body["items"]
        except (ValueError, KeyError, TypeError):
            raise Unavailable.unusable(SUPERVISION, "answered something other than a list page") from None
        return body
    return ask


def gather(upstream, actor, request_id: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The oversight counts for the caller's scope, and service -> why when it could not be asked."""
    ask = _asker(upstream, actor, request_id)
    asks = {**{status: (ORDERS, {"status": status, "per_page": "1"}) for status in OPEN_STATUSES},
            "overdue": (ORDERS, {"overdue": "true", "per_page": "1"}),
            "live": (WARNINGS, {"status": "issued", "per_page": str(LIVE_WARNINGS_PER_PAGE)})}
    try:
        with ThreadPoolExecutor(max_workers=len(asks)) as pool:
            futures = {name: pool.submit(ask, *request) for name, request in asks.items()}
            answers = {name: future.result() for name, future in futures.items()}
    except Unavailable as failure:
        return None, {failure.service: failure.reason}
    live = answers["live"]["items"]
    return {
        "open_orders": sum(answers[status]["total"] for status in OPEN_STATUSES),
        "overdue_orders": answers["overdue"]["total"],
        "live_warnings": answers["live"]["total"],
        # Targets the caller sees that have not acknowledged (叫应) a live warning yet.
        "targets_not_acknowledged": sum((warning.get("counts") or {}).get("sent", 0) for warning in live),
    }, {}


def oversight_schema() -> dict[str, Any]:
    count = {"type": "integer"}
    return {"type": "object", "nullable": True,
            "description": "open and overdue rectification orders and live warnings in your scope; null when the "
                           "supervision service could not be asked (named under `unavailable`)",
            "properties": {"open_orders": count, "overdue_orders": count, "live_warnings": count,
                           "targets_not_acknowledged": count}}
