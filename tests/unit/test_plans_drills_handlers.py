"""The plans and drills workers' handler tables: built from typed payloads, and the drill clock's reading of
`completed_at` (plans' use_cases/drill_history.py)."""
from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest

from contracts.catalogue import DRILLS, PLANS, service
from contracts.events import DrillCompleted, PayloadError
from servicekit.events import Event
from services.drills import handlers as drill_handlers
from services.plans.domain.workdays import WorkCalendar
from services.plans.handlers import PlanHandlers
from services.plans.use_cases.drill_history import completed_at

OCCURRED = dt.datetime(2026, 5, 31, 10, 0, tzinfo=dt.timezone.utc)


def test_each_table_handles_exactly_what_the_catalogue_says_the_service_consumes():
    assert set(PlanHandlers(work_calendar=WorkCalendar()).mapping()) == set(service(PLANS).consumes)
    assert set(drill_handlers.mapping()) == set(service(DRILLS).consumes)


@pytest.mark.parametrize("data, field", [
    ({"drill_id": "not-an-id", "plan_id": str(uuid.uuid4())}, "data.drill_id"),
    ({"drill_id": str(uuid.uuid4())}, "data.plan_id"),
])
def test_a_malformed_event_is_refused_before_any_use_case_runs(data, field):
    handle = PlanHandlers(work_calendar=WorkCalendar()).mapping()["drill.completed"]
    with pytest.raises(PayloadError) as refused:
        handle(Event(type="drill.completed", source=DRILLS, data=data), session=None)  # no session is touched
    assert refused.value.field == field


def drill_ending(moment: str | None) -> tuple[DrillCompleted, Event]:
    data = {"drill_id": str(uuid.uuid4()), "plan_id": str(uuid.uuid4()), "completed_at": moment}
    event = Event(type="drill.completed", source=DRILLS, data=data, occurred_at=OCCURRED.isoformat())
    return DrillCompleted.of(event), event


@pytest.mark.parametrize("moment, expected", [
    (None, OCCURRED),                                                     # not said: when the event occurred
    ("2026-05-31T16:00:00+08:00", OCCURRED - dt.timedelta(hours=2)),      # earlier: as said, in UTC
    ("2026-05-31T10:04:00", OCCURRED + dt.timedelta(minutes=4)),          # no offset: UTC; within the clock skew
    ("2062-05-31T10:00:00+00:00", OCCURRED),                              # after the event: capped
    ("1850-01-01T00:00:00+00:00", OCCURRED),                              # outside 1900-2200
    ("0001-01-01T00:00:00+01:00", OCCURRED),                              # no instant at all in UTC
])
def test_a_drill_ends_when_it_says_but_never_after_the_event_announcing_it(moment, expected, caplog):
    drill, event = drill_ending(moment)
    with caplog.at_level(logging.WARNING, logger="erdm.plans.drill_history"):
        assert completed_at(drill, event=event) == expected
    assert bool(caplog.records) == (moment is not None and expected == OCCURRED)
