"""Each enterprise a warning reached answers it: acknowledges (叫应), reports what it did, resumes production; a late
acknowledgement is taken and shown late; the bureau records an answer given by telephone."""
from __future__ import annotations

import datetime as dt

from servicekit import clock
from weather import close, issue, read, step, target, travel


def test_a_mine_acknowledges_reports_and_resumes_and_the_counts_follow(desk):
    city, mine = desk("ROOT"), desk("MINE-2", role="logistics", scope="own")
    warning = issue(city)

    acknowledged = target(step(mine, warning, "MINE-2", "acknowledge", {"by": "李副矿长"}), "MINE-2")
    assert (acknowledged["status"], acknowledged["acknowledged_by"]) == ("acknowledged", "李副矿长")
    assert dt.datetime.fromisoformat(acknowledged["acknowledged_at"]) >= dt.datetime.fromisoformat(
        acknowledged["sent_at"])
    assert (acknowledged["ack_overdue"], acknowledged["acknowledged_late"]) == (False, False)

    stopped_at = clock.now() - dt.timedelta(minutes=5)
    reported = target(step(mine, warning, "MINE-2", "report",
                           {"stopped_at": stopped_at.isoformat(), "evacuated_count": 41, "rainfall_mm": 120}), "MINE-2")
    assert reported["status"] == "reported"
    assert dt.datetime.fromisoformat(reported["stopped_at"]) == stopped_at
    assert (reported["evacuated_count"], reported["rainfall_mm"], reported["note"]) == (41, 120.0, None)

    resumed_at = clock.now()
    resumed = target(step(mine, warning, "MINE-2", "resume", {"resumed_at": resumed_at.isoformat()}), "MINE-2")
    assert resumed["status"] == "resumed"
    assert dt.datetime.fromisoformat(resumed["resumed_at"]) == resumed_at
    assert resumed["acknowledged_by"] == "李副矿长" and resumed["evacuated_count"] == 41, "earlier answers kept"

    seen = read(city, warning)
    assert seen["counts"] == {"sent": 1, "acknowledged": 0, "reported": 0, "resumed": 1}
    assert [silent["code"] for silent in seen["not_acknowledged"]] == ["MINE-1"]


def test_a_report_may_say_nothing_but_that_it_was_made(desk):
    city = desk("ROOT")
    warning = issue(city, directive="heightened_watch")
    step(city, warning, "MINE-1", "acknowledge", {"by": "赵安全"})
    answer = target(step(city, warning, "MINE-1", "report", {}), "MINE-1")
    assert answer["status"] == "reported" and answer["reported_at"]
    assert (answer["stopped_at"], answer["evacuated_count"], answer["rainfall_mm"], answer["note"]) == \
        (None, None, None, None)


def test_an_acknowledgement_after_its_deadline_is_taken_and_shown_late_for_good(desk, monkeypatch):
    city, mine = desk("ROOT"), desk("MINE-2", role="planner", scope="own")
    warning = issue(city, ack_within_minutes=15)
    travel(monkeypatch, minutes=16)
    assert target(read(city, warning), "MINE-2")["ack_overdue"] is True

    late = target(step(mine, warning, "MINE-2", "acknowledge", {"by": "孙矿长"}), "MINE-2")
    assert (late["status"], late["ack_overdue"], late["acknowledged_late"]) == ("acknowledged", False, True)
    step(mine, warning, "MINE-2", "report", {"evacuated_count": 0})
    travel(monkeypatch, hours=3)
    assert target(read(city, warning), "MINE-2")["acknowledged_late"] is True


def test_an_acknowledgement_in_time_is_not_late_and_never_turns_overdue(desk, monkeypatch):
    city = desk("ROOT")
    warning = issue(city)
    travel(monkeypatch, minutes=29)
    step(desk("MINE-1", role="logistics", scope="own"), warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    travel(monkeypatch, hours=2)
    answer = target(read(city, warning), "MINE-1")
    assert (answer["ack_overdue"], answer["acknowledged_late"]) == (False, False)


def test_the_deadline_is_exact_to_the_minute(desk, monkeypatch):
    city = desk("ROOT")
    warning = issue(city, ack_within_minutes=10)
    due = dt.datetime.fromisoformat(target(warning, "MINE-1")["ack_due_at"])
    monkeypatch.setattr(clock, "now", lambda: due)
    assert target(read(city, warning), "MINE-1")["ack_overdue"] is False, "due at, not yet past"
    monkeypatch.setattr(clock, "now", lambda: due + dt.timedelta(seconds=1))
    assert target(read(city, warning), "MINE-1")["ack_overdue"] is True


def test_the_issuing_bureau_records_an_answer_given_by_telephone(desk):
    city = desk("ROOT")
    warning = issue(city)
    answered = step(city, warning, "MINE-2", "acknowledge", {"by": "孙矿长（电话）"})
    assert target(answered, "MINE-2")["acknowledged_by"] == "孙矿长（电话）"
    assert target(answered, "MINE-1")["status"] == "sent", "the bureau sees every target, and only one answered"


def test_a_district_bureau_records_an_answer_for_a_mine_below_it_on_the_citys_warning(desk):
    warning = issue(desk("ROOT"))
    answered = step(desk("JB"), warning, "MINE-1", "acknowledge", {"by": "钱生产"})
    assert [t["org"]["code"] for t in answered["targets"]] == ["MINE-1"], "the district sees its own mine only"
    assert answered["targets"][0]["status"] == "acknowledged"


def test_a_target_of_a_warning_closed_before_its_deadline_never_turns_overdue(desk, monkeypatch):
    city = desk("ROOT")
    warning = issue(city, ack_within_minutes=60)
    travel(monkeypatch, minutes=20)
    close(city, warning, summary="预警提前解除")
    travel(monkeypatch, hours=5)
    seen = read(city, warning)
    assert [t["ack_overdue"] for t in seen["targets"]] == [False, False]
    assert [silent["code"] for silent in seen["not_acknowledged"]] == ["MINE-1", "MINE-2"]


def test_production_resumes_on_a_plain_date_meaning_that_days_start(desk):
    city = desk("ROOT")
    warning = issue(city)
    step(city, warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    step(city, warning, "MINE-1", "report", {"note": "未停产，加强巡查"})
    today = clock.local_today()
    resumed = target(step(city, warning, "MINE-1", "resume", {"resumed_at": today.isoformat()}), "MINE-1")
    moment = dt.datetime.fromisoformat(resumed["resumed_at"]).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (moment.date(), moment.hour, moment.minute) == (today, 0, 0)


def test_a_bureaus_logistics_or_planner_desk_does_not_answer_for_a_mine(desk):
    warning = issue(desk("ROOT"))
    for role in ("logistics", "planner"):
        refused = step(desk("JB", role=role), warning, "MINE-1", "acknowledge", {"by": "区局"}, status=403)
        assert "MINE-1's own people" in refused["detail"]
    assert target(step(desk("MINE-1", role="planner", scope="own"), warning, "MINE-1", "acknowledge",
                       {"by": "矿调度室"}), "MINE-1")["status"] == "acknowledged"
