"""What a warning refuses: every step out of order or after the close (409), bad input naming its field (422), a
warning that would reach nobody (422), one issued by an enterprise (403); a refusal changes nothing."""
from __future__ import annotations

import datetime as dt

import pytest

from servicekit import clock
from supervised import ORG_IDS
from weather import WARNINGS, call, close, events, issue, read, red_rainstorm, refused, step, target


@pytest.fixture
def city(desk):
    return desk("ROOT")


@pytest.fixture
def warning(city):
    return issue(city)


def post(client, warning, path: str, body: dict):
    return client.post(f"{WARNINGS}/{warning['id']}{path}", json=body)


def answer(client, warning, code: str, name: str, body: dict):
    return post(client, warning, f"/targets/{ORG_IDS[code]}/{name}", body)


def in_hours(hours: float):
    """A moment `hours` from the time the test runs (parameters are made when tests are collected)."""
    return lambda now: (now + dt.timedelta(hours=hours)).isoformat()


def at_run(body: dict) -> dict:
    """`body` with its moments (`in_hours`) reckoned from one reading of the clock."""
    now = clock.now()
    return {name: value(now) if callable(value) else value for name, value in body.items()}


ACKNOWLEDGE, REPORT, RESUME = ("acknowledge", {"by": "王矿长"}), ("report", {"evacuated_count": 3}), \
    ("resume", {"resumed_at": in_hours(0)})


@pytest.mark.parametrize("taken, refused_step, status", [
    ((), REPORT, "sent"),
    ((), RESUME, "sent"),
    ((ACKNOWLEDGE,), ACKNOWLEDGE, "acknowledged"),
    ((ACKNOWLEDGE,), RESUME, "acknowledged"),
    ((ACKNOWLEDGE, REPORT), ACKNOWLEDGE, "reported"),
    ((ACKNOWLEDGE, REPORT), REPORT, "reported"),
    ((ACKNOWLEDGE, REPORT, RESUME), RESUME, "resumed"),
    ((ACKNOWLEDGE, REPORT, RESUME), REPORT, "resumed"),
], ids=["report before acknowledging", "resume before acknowledging", "acknowledge twice",
        "resume before reporting", "acknowledge after reporting", "report twice", "resume twice",
        "report after resuming"])
def test_a_step_out_of_order_is_409_naming_the_targets_status(city, warning, taken, refused_step, status):
    for name, body in taken:
        step(city, warning, "MINE-1", name, at_run(body))
    before = read(city, warning)
    name, body = refused_step
    problem = refused(answer(city, warning, "MINE-1", name, at_run(body)), 409)
    assert (problem["action"], problem["current_status"]) == (name, status)
    assert read(city, warning) == before, "nothing changed"


@pytest.mark.parametrize("refused_step", [ACKNOWLEDGE, REPORT, RESUME], ids=lambda s: s[0])
def test_no_answer_is_taken_once_the_warning_is_closed(city, warning, refused_step):
    step(city, warning, "MINE-2", "acknowledge", {"by": "孙矿长"})
    step(city, warning, "MINE-2", "report", {})
    closed = close(city, warning)
    name, body = refused_step
    for code in ("MINE-1", "MINE-2"):
        problem = refused(answer(city, warning, code, name, at_run(body)), 409)
        assert (problem["action"], problem["warning_status"]) == (name, "closed")
    assert read(city, warning) == closed


def test_a_warning_closes_once(city, warning, supervision_db):
    close(city, warning, summary="第一次总结")
    problem = refused(post(city, warning, "/close", {"summary": "第二次总结"}), 409)
    assert (problem["current_status"], problem["allowed_from"]) == ("closed", ["issued"])
    assert read(city, warning)["summary"] == "第一次总结"
    assert len(events(supervision_db, "warning.closed")) == 1


@pytest.mark.parametrize("changes, field", [
    ({"kind": "hail"}, "kind"),
    ({"kind": None}, "kind"),
    ({"level": "purple"}, "level"),
    ({"directive": "evacuate"}, "directive"),
    ({"districts": []}, "districts"),
    ({"districts": [""]}, "districts"),
    ({"districts": "江北区"}, "districts"),
    ({"industries": ["mines"]}, "industries"),
    ({"industries": None}, "industries"),
    ({"valid_from": "tomorrow"}, "valid_from"),
    ({"valid_to": "2026-06-01T08:00:00"}, "valid_to"),
    ({"valid_from": in_hours(2), "valid_to": in_hours(1)}, "valid_to"),
    ({"valid_from": in_hours(1), "valid_to": in_hours(1)}, "valid_to"),
    ({"valid_from": in_hours(-5), "valid_to": in_hours(-1)}, "valid_to"),
    ({"issued_by": ""}, "issued_by"),
    ({"message": ""}, "message"),
    ({"ack_within_minutes": 0}, "ack_within_minutes"),
    ({"ack_within_minutes": 24 * 60 + 1}, "ack_within_minutes"),
    ({"ack_within_minutes": "30"}, "ack_within_minutes"),
    ({"ack_within_minutes": 2.5}, "ack_within_minutes"),
    ({"org_id": "bd6b6c4e-0000-4000-8000-000000000000"}, "org_id"),
    ({"districts": ["北碚区"]}, "districts"),
    ({"districts": ["南山区"], "industries": ["fireworks"]}, "industries"),
], ids=lambda value: str(value) if isinstance(value, str) else None)
def test_a_warning_with_bad_input_is_422_naming_the_field_and_nothing_is_issued(city, supervision_db, changes,
                                                                                  field):
    refused(city.post(WARNINGS, json=red_rainstorm(**at_run(changes))), 422, field)
    assert call(city, WARNINGS)["total"] == 0 and events(supervision_db, "warning.issued") == []


@pytest.mark.parametrize("field", ["kind", "level", "districts", "industries", "valid_from", "valid_to", "issued_by",
                                   "directive", "message"])
def test_every_field_but_the_deadline_is_required(city, field):
    body = red_rainstorm()
    del body[field]
    refused(city.post(WARNINGS, json=body), 422, field)


def test_only_a_bureau_issues_warnings(desk, supervision_db):
    problem = refused(desk("MINE-1").post(WARNINGS, json=red_rainstorm()), 403)
    assert "MINE-1" in problem["detail"]
    assert events(supervision_db, "warning.issued") == []


@pytest.mark.parametrize("name, body, field", [
    ("acknowledge", {}, "by"),
    ("acknowledge", {"by": ""}, "by"),
    ("acknowledge", {"by": "王矿长", "position": "principal"}, "position"),
])
def test_an_acknowledgement_without_who_answered_is_422(city, warning, name, body, field):
    refused(answer(city, warning, "MINE-1", name, body), 422, field)
    assert target(read(city, warning), "MINE-1")["status"] == "sent"


@pytest.mark.parametrize("body, field", [
    ({"evacuated_count": -1}, "evacuated_count"),
    ({"evacuated_count": 2.5}, "evacuated_count"),
    ({"evacuated_count": "23"}, "evacuated_count"),
    ({"rainfall_mm": -0.1}, "rainfall_mm"),
    ({"rainfall_mm": 1e9}, "rainfall_mm"),
    ({"stopped_at": "yesterday"}, "stopped_at"),
    ({"stopped_at": in_hours(2)}, "stopped_at"),
    ({"note": "x" * 2001}, "note"),
])
def test_a_report_with_bad_input_is_422_and_the_target_stays_acknowledged(city, warning, body, field):
    step(city, warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    refused(answer(city, warning, "MINE-1", "report", at_run(body)), 422, field)
    assert target(read(city, warning), "MINE-1")["status"] == "acknowledged"


@pytest.mark.parametrize("body", [{}, {"resumed_at": None}, {"resumed_at": in_hours(3)},
                                  {"resumed_at": in_hours(-2)}], ids=["missing", "null", "future", "before stopping"])
def test_a_resumption_with_bad_input_is_422_and_the_target_stays_reported(city, warning, body):
    step(city, warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    step(city, warning, "MINE-1", "report", at_run({"stopped_at": in_hours(-1)}))
    refused(answer(city, warning, "MINE-1", "resume", at_run(body)), 422, "resumed_at")
    assert target(read(city, warning), "MINE-1")["status"] == "reported"


def test_a_close_without_a_summary_is_422(city, warning):
    refused(post(city, warning, "/close", {}), 422, "summary")
    refused(post(city, warning, "/close", {"summary": ""}), 422, "summary")
    assert read(city, warning)["status"] == "issued"


@pytest.mark.parametrize("query, field", [("status=open", "status"), ("kind=hail", "kind"), ("level=0", "level"),
                                          ("per_page=0", "per_page")])
def test_a_list_with_a_bad_filter_is_422(city, query, field):
    refused(city.get(f"{WARNINGS}?{query}"), 422, field)


def test_an_unknown_warning_or_target_is_404(city, warning):
    refused(city.get(f"{WARNINGS}/00000000-0000-4000-8000-000000000000"), 404)
    refused(city.post(f"{WARNINGS}/00000000-0000-4000-8000-000000000000/close", json={"summary": "无"}), 404)
    refused(answer(city, warning, "CHEM-1", "acknowledge", {"by": "周总"}), 404)
    refused(post(city, warning, f"/targets/{ORG_IDS['ROOT']}/acknowledge", {"by": "局长"}), 404)
