"""`GET /api/v1/readiness`: one view per approved plan, put together from the plans and drills services' answers,
with the caller's open and overdue rectification orders and live warnings beside it (gateway/readiness_oversight.py).

Per plan: its readiness as the plans service answers it (`GET /plans/readiness`: the shortfall
against its requirements, by the rule of `GET /plans/{id}/readiness`, with its drill due date and
compliance), its next or running drill as the drills service decides it (`GET /drills?upcoming=true`)
and its open and overdue corrective actions. The gateway computes no rule of its own, so the view
and the services can never disagree. The whole view is built, cached briefly, then paged like every
list. A service that cannot be asked, or a list cut at its row cap, makes a partial answer that says
so, never a failure.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable
from urllib.parse import urlencode

import marshmallow as ma
from flask import Blueprint, current_app, g, request

from contracts.catalogue import DRILLS, PLANS
from gateway import readiness_oversight
from gateway.upstream import Unavailable
from servicekit.problems import problem
from servicekit.schemas import PageArgs
from servicekit.signing import sign

blp = Blueprint("readiness", __name__)

CACHE_SECONDS = 5.0
PER_PAGE = 500
MAX_PAGES = 20  # 10,000 rows per list: well past a city's plans, drills and corrective actions

# list -> (the service that answers it, its path under /api/v1, its query)
LISTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "approved_plans": (PLANS, "/plans/readiness", {}),
    "upcoming_drills": (DRILLS, "/drills", {"upcoming": "true"}),
    "open_corrective_actions": (DRILLS, "/corrective-actions", {"status": "open"}),
}


class ReadinessArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like the services' list endpoints: unknown query parameters are ignored


class Listing(list):
    """The rows a list endpoint gave, and why they are fewer than it holds when the row cap cut them."""

    cut: str | None = None


def _lister(upstream, actor, request_id: str) -> Callable[[str, str, dict], Listing]:
    def list_all(service: str, path: str, params: dict) -> Listing:
        items, total = Listing(), 0
        for page in range(1, MAX_PAGES + 1):
            target = f"/api/v1{path}?{urlencode({**params, 'page': page, 'per_page': PER_PAGE})}"
            headers = {"X-Request-ID": request_id, **sign(upstream.settings.internal_secret, "GET", target, actor)}
            answer = upstream.ask(service, "GET", target, expect_ok=True, headers=headers)
            try:
                body = answer.json()
                items += body["items"]
                total = body["total"]
                done = len(items) >= total or not body["items"]
            except (ValueError, KeyError, TypeError):
                raise Unavailable.unusable(service, "answered something other than a list page") from None
            if done:
                break
        else:
            if len(items) < total:
                items.cut = f"only the first {len(items)} of {total} rows were read"
        return items
    return list_all


def _gather(upstream, actor, request_id: str) -> tuple[dict[str, Listing], dict[str, str]]:
    """Every list of LISTS, asked at once: the rows of those that answered, and service -> why for the others."""
    list_all = _lister(upstream, actor, request_id)
    results: dict[str, Listing] = {}
    failures: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=len(LISTS)) as pool:
        futures = {name: pool.submit(list_all, *ask) for name, ask in LISTS.items()}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except Unavailable as failure:
                failures[failure.service] = failure.reason
    return results, failures


UNKNOWN_ITEM = {"code": None, "name": None, "unit": None}


def _shortfall(plan: dict) -> list[dict]:
    """The lines of the plans service's readiness that the depots do not cover, each naming its item."""
    return [{"item_id": line["item_id"], "item": line.get("item") or {"id": line["item_id"], **UNKNOWN_ITEM},
             "required": line["required"], "available": line["available"], "shortfall": line["shortfall"]}
            for line in plan.get("lines") or [] if line["shortfall"] > 0]


def build_view(results: dict[str, Any], failures: dict[str, str]) -> dict[str, Any]:
    """The whole per-plan view, unpaged; a field whose source service failed is null and listed under
    `unavailable`, and a list cut at its row cap is named under `truncated`."""
    truncated = {name: rows.cut for name, rows in results.items() if getattr(rows, "cut", None)}
    partial = bool(failures or truncated)
    if PLANS in failures:
        return {"items": [], "partial": True, "unavailable": failures, "truncated": truncated}
    drills_known = DRILLS not in failures
    drills: dict[str, list[dict]] = {}
    for drill in results.get("upcoming_drills", []):
        drills.setdefault(drill["plan_id"], []).append(drill)
    actions: dict[str, list[dict]] = {}
    for action in results.get("open_corrective_actions", []):
        actions.setdefault(action["plan_id"], []).append(action)
    items = []
    for plan in results["approved_plans"]:
        upcoming = sorted(drills.get(plan["plan_id"], []), key=lambda d: d["scheduled_start"])
        open_actions = actions.get(plan["plan_id"], [])
        shortfall = _shortfall(plan)
        items.append({
            "plan_id": plan["plan_id"], "code": plan["code"], "title": plan["title"], "type": plan["type"],
            "resources_ready": plan["ready"], "shortfall": shortfall,
            "next_drill_due": plan.get("next_drill_due"), "compliance": plan.get("compliance"),
            "needs_revision": plan.get("needs_revision"),
            "next_drill": None if not drills_known or not upcoming else {
                k: upcoming[0][k] for k in ("id", "title", "status", "scheduled_start", "scheduled_end")},
            "open_corrective_actions": len(open_actions) if drills_known else None,
            "overdue_corrective_actions": sum(a["overdue"] for a in open_actions) if drills_known else None,
        })
    return {"items": items, "partial": partial, "unavailable": failures, "truncated": truncated}


def page_of_view(view: dict[str, Any], *, page: int, per_page: int) -> dict[str, Any]:
    """The list envelope `{items, total, page, per_page}` around one page of the built view."""
    start = (page - 1) * per_page
    return {"items": view["items"][start:start + per_page], "total": len(view["items"]), "page": page,
            "per_page": per_page, "partial": view["partial"], "unavailable": view["unavailable"],
            "truncated": view["truncated"], "oversight": view.get("oversight")}


def _build(upstream, actor, request_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The plans' view and the oversight counts, asked at the same time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        oversight = pool.submit(readiness_oversight.gather, upstream, actor, request_id)
        results, failures = _gather(upstream, actor, request_id)
        counts, oversight_failures = oversight.result()
    view = build_view(results, failures)
    view["oversight"] = counts
    if oversight_failures:
        view["unavailable"] = {**view["unavailable"], **oversight_failures}
        view["partial"] = True
    return view, {**failures, **oversight_failures}


@blp.get("/api/v1/readiness")
def readiness():
    """The readiness of every approved plan, a page at a time; cached a few seconds, since it asks two services."""
    try:
        args = ReadinessArgs().load(request.args.to_dict())
    except ma.ValidationError as exc:
        return problem(422, "Some query parameters are invalid: " + ", ".join(sorted(exc.messages)),
                       errors=exc.messages)
    cache = current_app.extensions.setdefault("erdm_readiness_cache", {"views": {}, "lock": threading.Lock()})
    # One view per reach: the services answer within the caller's scope, so a view built for one organisation
    # is never shown to a caller of another (callers with the same organisation and scope see the same).
    reach = (g.actor.org_path, g.actor.scope)
    with cache["lock"]:
        kept = cache["views"].get(reach)
        if kept is not None and time.monotonic() - kept[0] < CACHE_SECONDS:
            return page_of_view(kept[1], **args)
    view, failures = _build(current_app.extensions["erdm_upstream"], g.actor, g.request_id)
    if not failures:  # an answer missing a service is not kept: the next caller asks again
        with cache["lock"]:
            now = time.monotonic()
            cache["views"] = {key: kept for key, kept in cache["views"].items() if now - kept[0] < CACHE_SECONDS}
            cache["views"][reach] = (now, view)
    return page_of_view(view, **args)


# The documented answer (the gateway's part of the API description, gateway/openapi_gateway.py).
NULLABLE_INT = {"type": "integer", "nullable": True}


def readiness_page_schema() -> dict[str, Any]:
    """A field whose source service could not be asked is null, and the service is named under `unavailable`."""
    item = {"type": "object", "required": ["id", "code", "name"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "code": {"type": "string", "nullable": True},
        "name": {"type": "string", "nullable": True}, "unit": {"type": "string", "nullable": True}},
        "description": "the item beside its id, as the plans service's copy of the catalog names it "
                       "(null names for an item it has not heard of yet)"}
    shortfall_line = {"type": "object", "required": ["item_id", "item", "required", "available", "shortfall"],
                      "properties": {
        "item_id": {"type": "string", "format": "uuid"}, "item": item, "required": {"type": "number"},
        "available": {"type": "number"}, "shortfall": {"type": "number"}}}
    next_drill = {"type": "object", "nullable": True, "properties": {
        "id": {"type": "string", "format": "uuid"}, "title": {"type": "string"}, "status": {"type": "string"},
        "scheduled_start": {"type": "string", "format": "date-time"},
        "scheduled_end": {"type": "string", "format": "date-time"}}}
    plan = {"type": "object", "required": ["plan_id", "code", "title", "type"], "properties": {
        "plan_id": {"type": "string", "format": "uuid"}, "code": {"type": "string"}, "title": {"type": "string"},
        "type": {"type": "string"},
        "resources_ready": {"type": "boolean", "nullable": True},
        "shortfall": {"type": "array", "nullable": True, "items": shortfall_line},
        "next_drill_due": {"type": "string", "format": "date", "nullable": True},
        "compliance": {"type": "string", "nullable": True},
        "needs_revision": {"type": "boolean", "nullable": True},
        "next_drill": next_drill,
        "open_corrective_actions": NULLABLE_INT,
        "overdue_corrective_actions": NULLABLE_INT}}
    reasons = {"type": "object", "additionalProperties": {"type": "string"}}
    return {"type": "object", "required": ["items", "total", "page", "per_page", "partial"], "properties": {
        "items": {"type": "array", "items": plan}, "total": {"type": "integer"}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "partial": {"type": "boolean"},
        "oversight": readiness_oversight.oversight_schema(),
        "unavailable": {**reasons, "description": "service → why it could not be asked"},
        "truncated": {**reasons, "description": "list → why it was cut at the row cap"}}}
