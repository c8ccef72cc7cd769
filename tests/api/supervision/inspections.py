"""The supervision API as an inspector and an enterprise use it in the tests: a desk that checks every answer's
status, a clock pinned to a working morning in the bureau's zone, and the events the service queued."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import select

from servicekit import clock
from servicekit.db import outbox_table
from stockroom import assert_problem

API = "/api/v1"
ORDERS, HAZARDS, FOLLOW_UPS = "/rectification-orders", "/hazards", "/follow-ups"
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 2)
MORNING = dt.datetime(2026, 12, 2, 9, 30, tzinfo=ZONE)


def day(offset: int) -> str:
    """The day `offset` days from TODAY, as a body or a query takes it."""
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def pin_clock(monkeypatch, moment: dt.datetime = MORNING) -> dt.datetime:
    """The service's now (and so its today, in Asia/Shanghai) from here on."""
    monkeypatch.setattr(clock, "now", lambda: moment.astimezone(dt.timezone.utc))
    return moment


def on_day(monkeypatch, offset: int) -> dt.datetime:
    """Move the service's clock to the same morning `offset` days from TODAY."""
    return pin_clock(monkeypatch, MORNING + dt.timedelta(days=offset))


def events(database, event_type: str) -> list[dict[str, Any]]:
    """The data of every `event_type` the service queued on its outbox, oldest first."""
    query = (select(outbox_table.c.envelope).where(outbox_table.c.event_type == event_type)
             .order_by(outbox_table.c.seq))
    with database.session(readonly=True) as session:
        return [json.loads(envelope)["data"] for envelope in session.scalars(query)]


class Desk:
    """One caller's desk: each call asserts the status it expects and answers the JSON body."""

    def __init__(self, client) -> None:
        self.client = client

    def post(self, path: str, body: dict[str, Any], status: int = 201, **kwargs) -> dict[str, Any]:
        response = self.client.post(API + path, json=body, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def get(self, path: str, expect: int = 200, **params) -> dict[str, Any]:
        # The query goes in the path itself: the signed client signs exactly the path it is given.
        query = urlencode({name: value for name, value in params.items() if value is not None})
        response = self.client.get(API + path + (f"?{query}" if query else ""))
        assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json()

    def refused(self, path: str, body: dict[str, Any], status: int, *fields: str) -> dict[str, Any]:
        """A POST refused with `status` as problem+json, naming each of `fields` under `errors`."""
        return assert_problem(self.client.post(API + path, json=body), status, *fields)

    def listed(self, path: str, **params) -> list[str]:
        """The ids a list answers, all of them on one page."""
        page = self.get(path, per_page=500, **params)
        assert page["total"] == len(page["items"])
        return [item["id"] for item in page["items"]]

    # --- what an inspector does ---------------------------------------------------------------------------
    def hazard(self, org_code: str = "MINE-1", status: int = 201, **fields) -> dict[str, Any]:
        body = {"org_code": org_code, "title": "主斜井顶板离层", "description": "主斜井 300 米处顶板离层，未支护",
                "level": "major", "location": "主斜井", "found_at": MORNING.isoformat(), "found_by": "江北检查员",
                **fields}
        return self.post(HAZARDS, body, status)

    def order(self, *hazards: dict[str, Any], status: int = 201, **fields) -> dict[str, Any]:
        body = {"hazard_ids": [hazard["id"] for hazard in hazards], "requirements": "停产整顿，补打锚杆并加设监测",
                "due_date": day(14), "issued_by": "江北检查员", "suspend_production": True, **fields}
        return self.post(ORDERS, body, status)

    def review(self, order: dict[str, Any], result: str, status: int = 200, **fields) -> dict[str, Any]:
        body = {"reviewer": "江北复查员", "result": result, **fields}
        return self.post(f"{ORDERS}/{order['id']}/review", body, status)

    def look_back(self, *orders: dict[str, Any], status: int = 201, **fields) -> dict[str, Any]:
        body = {"order_ids": [order["id"] for order in orders], "due_date": day(90), **fields}
        return self.post(FOLLOW_UPS, body, status)

    def result(self, follow_up: dict[str, Any], result: str, status: int = 200, **fields) -> dict[str, Any]:
        return self.post(f"{FOLLOW_UPS}/{follow_up['id']}/result", {"result": result, "checker": "回头看组", **fields},
                         status)

    # --- what the enterprise does -------------------------------------------------------------------------
    def acknowledge(self, order: dict[str, Any], signed_by: str = "赵安全", position: str = "deputy",
                    status: int = 200) -> dict[str, Any]:
        return self.post(f"{ORDERS}/{order['id']}/acknowledge", {"signed_by": signed_by, "position": position}, status)

    def report(self, order: dict[str, Any], status: int = 200, **fields) -> dict[str, Any]:
        body = {"measures": "补打锚杆 120 根，加设顶板离层仪 4 台", "completed_at": MORNING.isoformat(), **fields}
        return self.post(f"{ORDERS}/{order['id']}/report", body, status)

    def order_of(self, order: dict[str, Any], expect: int = 200) -> dict[str, Any]:
        return self.get(f"{ORDERS}/{order['id']}", expect)
