"""`GET /api/v1/readiness`: one view per approved plan, gathered from the three services' list endpoints at once.

Per plan: the stock shortfall against its requirements (from resources' balances), its drill
due date and compliance (plans), its next or running drill and its open and overdue corrective
actions (drills). The whole view is built, cached briefly, then paged like every list. A service
that cannot be asked, or a list cut at its row cap, makes a partial answer that says so, never a failure.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import urlencode

import httpx
import marshmallow as ma
from flask import Blueprint, current_app, g, request

from servicekit.instances import NoInstance
from servicekit.problems import problem
from servicekit.schemas import PageArgs
from servicekit.signing import sign

blp = Blueprint("readiness", __name__)

CACHE_SECONDS = 5.0
PER_PAGE = 500
MAX_PAGES = 20  # 10,000 rows per list: well past a city's plans, drills and stock lines
UPCOMING = frozenset({"pending_resources", "ready", "resource_shortfall", "in_progress"})


class ReadinessArgs(PageArgs):
    class Meta:
        unknown = ma.EXCLUDE  # like the services' list endpoints: unknown query parameters are ignored


class Unavailable(Exception):
    """A service did not answer a list request usably."""


class Listing(list):
    """The rows a list endpoint gave, and why they are fewer than it holds when the row cap cut them."""

    cut: str | None = None


def _lister(upstream, actor, request_id: str) -> Callable[[str, str, dict], Listing]:
    def list_all(service: str, path: str, params: dict) -> Listing:
        items, total = Listing(), 0
        for page in range(1, MAX_PAGES + 1):
            target = f"/api/v1{path}?{urlencode({**params, 'page': page, 'per_page': PER_PAGE})}"
            headers = {"X-Request-ID": request_id, **sign(upstream.settings.internal_secret, "GET", target, actor)}
            try:
                answer = upstream.send(service, "GET", target, headers=headers)
            except NoInstance:
                raise Unavailable("no URL configured") from None
            except httpx.HTTPError as exc:
                raise Unavailable(f"unreachable: {type(exc).__name__}") from None
            if answer.status_code != 200:
                raise Unavailable(f"answered {answer.status_code}")
            try:
                body = answer.json()
                items += body["items"]
                total = body["total"]
                done = len(items) >= total or not body["items"]
            except (ValueError, KeyError, TypeError):
                raise Unavailable("answered something other than a list page") from None
            if done:
                break
        else:
            if len(items) < total:
                items.cut = f"only the first {len(items)} of {total} rows were read"
        return items
    return list_all


def _gather(upstream, actor, request_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    list_all = _lister(upstream, actor, request_id)
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    asks = {
        "plans": ("plans", "/plans", {"status": "approved"}),
        "stock": ("resources", "/stock", {}),
        "drills": ("drills", "/drills", {"from": now}),
        # A drill running past its scheduled end is no longer "from now", yet it is the plan's current drill.
        "running_drills": ("drills", "/drills", {"status": "in_progress"}),
        "corrective_actions": ("drills", "/corrective-actions", {"status": "open"}),
    }
    results: dict[str, Any] = {}
    failures: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=len(asks)) as pool:
        futures = {name: pool.submit(list_all, *ask) for name, ask in asks.items()}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except Unavailable as exc:
                failures[asks[name][0]] = str(exc)
    return results, failures


def _available_by_item(stock: list[dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in stock:
        totals[line["item_id"]] = totals.get(line["item_id"], Decimal(0)) + Decimal(str(line["available"]))
    return totals


def _item_names(stock: list[dict]) -> dict[str, dict]:
    """The catalog's own names of the items stock lines carry (the resources service owns them)."""
    return {line["item_id"]: line["item"] for line in stock if line.get("item")}


def _named(item_id: str, requirement: dict, names: dict[str, dict]) -> dict:
    """The item of a shortfall line: as resources names it, else as the plans service's copy does (it may not
    have heard of the item yet: then only the id is known)."""
    return names.get(item_id) or requirement.get("item") or {"id": item_id, "code": None, "name": None, "unit": None}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _unique(*lists: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for rows in lists:
        for row in rows:
            seen.setdefault(row["id"], row)
    return list(seen.values())


def build_view(results: dict[str, Any], failures: dict[str, str]) -> dict[str, Any]:
    """The whole per-plan view, unpaged; a field whose source service failed is null and listed under
    `unavailable`, and a list cut at its row cap is named under `truncated`."""
    truncated = {name: rows.cut for name, rows in results.items() if getattr(rows, "cut", None)}
    partial = bool(failures or truncated)
    if "plans" in failures:
        return {"items": [], "partial": True, "unavailable": failures, "truncated": truncated}
    available = _available_by_item(results["stock"]) if "stock" in results else None
    names = _item_names(results.get("stock", []))
    drills: dict[str, list[dict]] = {}
    for drill in _unique(results.get("running_drills", []), results.get("drills", [])):
        if drill["status"] in UPCOMING:
            drills.setdefault(drill["plan_id"], []).append(drill)
    actions: dict[str, list[dict]] = {}
    for action in results.get("corrective_actions", []):
        actions.setdefault(action["plan_id"], []).append(action)
    items = []
    for plan in results["plans"]:
        shortfall = None
        if available is not None:
            shortfall = []
            for line in plan.get("requirements") or []:
                have = available.get(line["item_id"], Decimal(0))
                need = Decimal(str(line["quantity"]))
                if have < need:
                    shortfall.append({"item_id": line["item_id"], "item": _named(line["item_id"], line, names),
                                      "required": _number(need),
                                      "available": _number(have), "shortfall": _number(need - have)})
        upcoming = sorted(drills.get(plan["id"], []), key=lambda d: d["scheduled_start"])
        open_actions = actions.get(plan["id"], [])
        items.append({
            "plan_id": plan["id"], "code": plan["code"], "title": plan["title"], "type": plan["type"],
            "resources_ready": None if shortfall is None else not shortfall, "shortfall": shortfall,
            "next_drill_due": plan.get("next_drill_due"), "compliance": plan.get("compliance"),
            "needs_revision": plan.get("needs_revision"),
            "next_drill": None if "drills" in failures or not upcoming else {
                k: upcoming[0][k] for k in ("id", "title", "status", "scheduled_start", "scheduled_end")},
            "open_corrective_actions": None if "drills" in failures else len(open_actions),
            "overdue_corrective_actions": None if "drills" in failures else sum(a["overdue"] for a in open_actions),
        })
    return {"items": items, "partial": partial, "unavailable": failures, "truncated": truncated}


def page_of_view(view: dict[str, Any], *, page: int, per_page: int) -> dict[str, Any]:
    """The list envelope `{items, total, page, per_page}` around one page of the built view."""
    start = (page - 1) * per_page
    return {"items": view["items"][start:start + per_page], "total": len(view["items"]), "page": page,
            "per_page": per_page, "partial": view["partial"], "unavailable": view["unavailable"],
            "truncated": view["truncated"]}


@blp.get("/api/v1/readiness")
def readiness():
    """The readiness of every approved plan, a page at a time; cached a few seconds, since it asks three services."""
    try:
        args = ReadinessArgs().load(request.args.to_dict())
    except ma.ValidationError as exc:
        return problem(422, "Some query parameters are invalid: " + ", ".join(sorted(exc.messages)),
                       errors=exc.messages)
    cache = current_app.extensions.setdefault("erdm_readiness_cache", {"at": 0.0, "view": None,
                                                                       "lock": threading.Lock()})
    with cache["lock"]:
        if cache["view"] is not None and time.monotonic() - cache["at"] < CACHE_SECONDS:
            return page_of_view(cache["view"], **args)
    results, failures = _gather(current_app.extensions["erdm_upstream"], g.actor, g.request_id)
    view = build_view(results, failures)
    if not failures:  # an answer missing a service is not kept: the next caller asks again
        with cache["lock"]:
            cache.update(at=time.monotonic(), view=view)
    return page_of_view(view, **args)


# The documented answer (the gateway's part of the API description, gateway/openapi_gateway.py).
NULLABLE_INT = {"type": "integer", "nullable": True}


def readiness_page_schema() -> dict[str, Any]:
    """A field whose source service could not be asked is null, and the service is named under `unavailable`."""
    item = {"type": "object", "required": ["id", "code", "name"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "code": {"type": "string", "nullable": True},
        "name": {"type": "string", "nullable": True}, "unit": {"type": "string", "nullable": True}},
        "description": "the item beside its id, as the catalog names it"}
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
        "unavailable": {**reasons, "description": "service → why it could not be asked"},
        "truncated": {**reasons, "description": "list → why it was cut at the row cap"}}}
