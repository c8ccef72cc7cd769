"""The drills API as a plan owner uses it, for the tests: plans made known, drills scheduled, events in and out."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import select

from servicekit import inbox
from servicekit.db import Database, outbox_table
from servicekit.events import Event
from services.drills import handlers

API = "/api/v1"
CONSUMER = "drills-worker"


def at(days: float, hour: int = 9) -> str:
    """An instant `days` from today at `hour` o'clock Beijing time, as ISO 8601 with offset."""
    day = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8))).isoformat()


def without_names(lines):
    """Lines as given (an answer names each item beside its id)."""
    return [{name: value for name, value in line.items() if name != "item"} for line in lines]


class DrillBook:
    def __init__(self, client, database: Database) -> None:
        self.client, self.database = client, database

    # --- events into the drills service, as its worker applies them ------------------------
    def deliver(self, event_type: str, data: dict[str, Any], *, source: str = "resources",
                causation_id: str | None = None, event_id: str | None = None) -> Event:
        event = Event(type=event_type, source=source, data=data, causation_id=causation_id,
                      **({"id": event_id} if event_id else {}))
        self.apply(event)
        return event

    def apply(self, event: Event) -> None:
        with self.database.transaction() as session:
            if inbox.already_applied(session, event, consumer=CONSUMER):
                return
            handlers.mapping()[event.type](event, session=session)
            inbox.record(session, event, consumer=CONSUMER)

    def approve_plan(self, plan_id: str | None = None, **extra) -> str:
        plan_id = plan_id or str(uuid.uuid4())
        self.deliver("plan.approved", {"plan_id": plan_id, "code": f"YA-{plan_id[:6]}", "title": "防汛应急预案",
                                       "type": "special", "version": 1, **extra}, source="plans")
        return plan_id

    # --- what the drills service emitted ------------------------------------------------------
    def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Envelopes written so far, oldest first."""
        query = select(outbox_table.c.envelope).order_by(outbox_table.c.seq)
        if event_type:
            query = query.where(outbox_table.c.event_type == event_type)
        with self.database.session(readonly=True) as session:
            return [json.loads(row.envelope) for row in session.execute(query)]

    def last_schedule(self, drill_id: str) -> dict[str, Any]:
        return [e for e in self.outbox("drill.scheduled") if e["data"]["drill_id"] == drill_id][-1]

    def hold(self, drill: dict[str, Any], reservation_id: str | None = None, *, schedule=None) -> Event:
        """The resources service's answer to the drill's latest drill.scheduled: held."""
        schedule = schedule or self.last_schedule(drill["id"])
        return self.deliver("reservation.held", {
            "reservation_id": reservation_id or str(uuid.uuid4()), "reference": f"drill:{drill['id']}",
            "drill_id": drill["id"], "status": "held", "allocations": []}, causation_id=schedule["id"])

    def reject(self, drill: dict[str, Any], shortfall: list, *, schedule=None) -> Event:
        schedule = schedule or self.last_schedule(drill["id"])
        return self.deliver("reservation.rejected", {"reference": f"drill:{drill['id']}", "drill_id": drill["id"],
                                                     "shortfall": shortfall}, causation_id=schedule["id"])

    # --- the HTTP API -------------------------------------------------------------------------
    def post(self, path: str, body: dict | None = None, *, expect: int | None = 201):
        response = self.client.post(API + path, json=body if body is not None else {})
        if expect is not None:
            assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json()

    def get(self, path: str, *, expect: int = 200):
        response = self.client.get(API + path)
        assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json() if response.is_json else response.get_data()

    def patch(self, path: str, body: dict, *, expect: int = 200):
        response = self.client.patch(API + path, json=body)
        assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json()

    def drill_body(self, plan_id: str, **overrides) -> dict[str, Any]:
        return {"plan_id": plan_id, "title": "城区防汛桌面演练", "form": "tabletop", "scope": "single",
                "scheduled_start": at(7), "scheduled_end": at(7, 17), "location": "区应急指挥中心",
                "organizer": "区应急管理局", "participants": ["区水务局", "街道办"], "scenario": "暴雨内涝",
                **overrides}

    def schedule(self, plan_id: str, **overrides) -> dict[str, Any]:
        return self.post("/drills", self.drill_body(plan_id, **overrides))

    def ready_drill(self, plan_id: str, resources: list | None = None) -> dict[str, Any]:
        drill = self.schedule(plan_id, resources=resources or [])
        if resources:
            self.hold(drill)
        return self.get(f"/drills/{drill['id']}")

    def completed_drill(self, plan_id: str) -> dict[str, Any]:
        drill = self.ready_drill(plan_id)
        self.post(f"/drills/{drill['id']}/start", expect=200)
        return self.post(f"/drills/{drill['id']}/complete", {"consumed": [], "participants_count": 30,
                                                             "summary": "演练按方案完成"}, expect=200)
