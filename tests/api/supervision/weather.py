"""Severe-weather warnings as the tests issue and answer them: the issue's red rainstorm, each desk's calls, the
clock moved on, and the events the service queued."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from servicekit import clock
from servicekit.db import outbox_table
from supervised import ORG_IDS

WARNINGS = "/api/v1/warnings"
PROBLEM = "application/problem+json"


def red_rainstorm(**changes: Any) -> dict[str, Any]:
    """A red rainstorm warning ordering the mines of 江北区 and 南山区 to stop and evacuate, in force for a day."""
    start = clock.now()
    return {"kind": "rainstorm", "level": "red", "districts": ["江北区", "南山区"], "industries": ["mining"],
            "valid_from": start.isoformat(), "valid_to": (start + dt.timedelta(days=1)).isoformat(),
            "issued_by": "市局值班员 张伟", "directive": "stop_and_evacuate",
            "message": "预计未来12小时江北区、南山区有特大暴雨，请各矿山立即停产撤人。", **changes}


def call(client, path: str, body: dict | None = None, status: int = 200, **kwargs) -> dict[str, Any]:
    """POST `body` (or GET without one) and insist on `status`; the answer's JSON."""
    response = client.post(path, json=body, **kwargs) if body is not None else client.get(path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def issue(client, status: int = 201, **changes: Any) -> dict[str, Any]:
    return call(client, WARNINGS, red_rainstorm(**changes), status=status)


def step(client, warning: dict, code: str, name: str, body: dict, status: int = 200) -> dict[str, Any]:
    """A target's answer (`acknowledge`, `report`, `resume`) for the enterprise `code`."""
    return call(client, f"{WARNINGS}/{warning['id']}/targets/{ORG_IDS[code]}/{name}", body, status=status)


def read(client, warning: dict, status: int = 200) -> dict[str, Any]:
    return call(client, f"{WARNINGS}/{warning['id']}", status=status)


def close(client, warning: dict, summary: str = "暴雨过程结束，未发生人员伤亡。", status: int = 200) -> dict[str, Any]:
    return call(client, f"{WARNINGS}/{warning['id']}/close", {"summary": summary}, status=status)


def target(warning: dict, code: str) -> dict[str, Any]:
    """The answer of enterprise `code` on `warning`."""
    [found] = [t for t in warning["targets"] if t["org"]["code"] == code]
    return found


def target_codes(warning: dict) -> list[str]:
    return [t["org"]["code"] for t in warning["targets"]]


def refused(response, status: int, *fields: str) -> dict[str, Any]:
    """A problem+json refusal with `status`, naming each of `fields` under `errors`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def travel(monkeypatch, **delta: float) -> dt.datetime:
    """Move the service's clock on (`minutes=31`); every later request and sweep sees the new time."""
    moved = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moved)
    return moved


def events(database, event_type: str) -> list[dict[str, Any]]:
    """The data of every `event_type` event queued on the outbox so far, oldest first."""
    query = (select(outbox_table.c.envelope).where(outbox_table.c.event_type == event_type)
             .order_by(outbox_table.c.seq))
    with database.session(readonly=True) as session:
        return [json.loads(envelope)["data"] for envelope in session.scalars(query)]
