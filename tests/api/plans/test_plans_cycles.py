"""The legal cycles as a plan owner sees them, with the clock fixed: drill, evaluation and filing dates, compliance."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit.events import Event

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    """A wall-clock time in Asia/Shanghai (the default ERDM_TIMEZONE)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def codes(plan_desk, **query):
    return [plan["code"] for plan in plan_desk.call("get", "", query_string=query)["items"]]


def test_an_onsite_plan_is_due_for_a_drill_six_months_after_approval(plan_desk, fixed_clock):
    fixed_clock(at("2026-03-02T10:00"))
    # 01:00 on 2 March in Shanghai is still 1 March in UTC: dates follow the bureau's zone.
    plan = plan_desk.approved(approved_at=at("2026-03-02T01:00"), type="onsite", title="危化品泄漏现场处置方案")
    assert (plan["next_drill_due"], plan["evaluation_due"], plan["filing_due"]) == (
        "2026-09-02", "2029-03-02", "2026-03-30")
    assert plan["approved_at"] == "2026-03-01T17:00:00+00:00"


def test_a_special_plan_is_due_for_a_drill_twelve_months_after_approval(plan_desk, fixed_clock):
    fixed_clock(at("2026-03-02T10:00"))
    plan = plan_desk.approved(approved_at=at("2026-03-02T09:00"), type="special")
    assert (plan["next_drill_due"], plan["evaluation_due"]) == ("2027-03-02", "2029-03-02")


def test_filing_is_due_twenty_working_days_later_counting_over_weekends(plan_desk, fixed_clock):
    fixed_clock(at("2026-01-05T09:00"))
    friday = plan_desk.approved(approved_at=at("2026-01-02T15:00"))
    assert friday["filing_due"] == "2026-01-30"
    saturday = plan_desk.approved(approved_at=at("2026-01-03T11:00"))
    assert saturday["filing_due"] == "2026-01-30"


def test_a_plan_registered_with_a_past_approval_is_overdue(plan_desk, fixed_clock):
    fixed_clock(at("2026-11-30T10:00"))
    old = plan_desk.approved(code="YA-2024", approved_at=at("2024-06-03T10:00"), type="comprehensive")
    assert (old["next_drill_due"], old["evaluation_due"], old["filing_due"]) == ("2025-06-03", "2027-06-03",
                                                                                 "2024-07-01")
    assert (old["compliance"], old["filing_overdue"]) == ("overdue", True)
    fresh = plan_desk.approved(code="YA-2026")
    plan_desk.call("post", f"/{fresh['id']}/filings", 201,
                   json={"authority": "市应急管理局", "filed_at": at("2026-11-30T09:30").isoformat(),
                         "reference_no": "备2026-018"})
    draft = plan_desk.create(code="YA-DRAFT")
    assert codes(plan_desk, compliance="overdue") == ["YA-2024"]
    assert codes(plan_desk, compliance="ok") == ["YA-2026", "YA-DRAFT"]
    assert (plan_desk.get(draft)["compliance"], plan_desk.get(draft)["filing_overdue"]) == ("ok", False)


def test_compliance_speaks_of_drill_and_evaluation_and_a_late_filing_is_flagged_apart(plan_desk, fixed_clock):
    fixed_clock(at("2026-11-30T10:00"))
    unfiled = plan_desk.approved(code="YA-LATE", approved_at=at("2026-09-30T10:00"))
    assert unfiled["filing_due"] < "2026-11-30"
    assert (unfiled["compliance"], unfiled["filing_overdue"]) == ("ok", True)
    plan_desk.approved(code="YA-ONTIME")
    assert codes(plan_desk, compliance="overdue") == []
    assert codes(plan_desk, filing_overdue="true") == ["YA-LATE"]
    assert codes(plan_desk, filing_overdue="false") == ["YA-ONTIME"]
    plan_desk.call("post", f"/{unfiled['id']}/filings", 201, json={
        "authority": "市应急管理局", "filed_at": at("2026-11-30T09:00").isoformat(), "reference_no": "备2026-020"})
    assert plan_desk.get(unfiled)["filing_overdue"] is False and codes(plan_desk, filing_overdue="true") == []


def test_a_filing_settles_the_filing_due_and_a_plan_nearing_its_drill_is_due_soon(plan_desk, fixed_clock):
    fixed_clock(at("2026-03-10T10:00"))
    plan = plan_desk.approved(code="YA-NEW", approved_at=at("2026-03-02T09:00"))
    assert (plan["compliance"], plan["filing_overdue"]) == ("ok", False)  # the filing is owed, not yet late
    filing = plan_desk.call("post", f"/{plan['id']}/filings", 201, json={
        "authority": "市应急管理局", "filed_at": at("2026-03-09T16:00").isoformat(), "reference_no": "备2026-007"})
    assert (filing["version"], filing["reference_no"], filing["recorded_by"]) == (1, "备2026-007", {"id": "admin", "name": "admin"})
    after = plan_desk.get(plan)
    assert (after["compliance"], after["filed_at"]) == ("ok", "2026-03-09T08:00:00+00:00")
    filings = plan_desk.call("get", f"/{plan['id']}/filings")
    assert [f["reference_no"] for f in filings["items"]] == ["备2026-007"]
    assert (filings["total"], filings["page"], filings["per_page"]) == (1, 1, 50)
    assert plan_desk.call("get", f"/{plan['id']}/filings", query_string={"page": 2})["items"] == []

    fixed_clock(at("2027-02-10T10:00"))  # 20 days before the yearly drill is due
    assert plan_desk.get(plan)["compliance"] == "due_soon"
    assert codes(plan_desk, compliance="due_soon") == ["YA-NEW"]
    fixed_clock(at("2027-03-03T00:30"))
    assert plan_desk.get(plan)["compliance"] == "overdue"


def test_a_filing_is_refused_before_approval_in_the_future_or_before_the_approval_date(plan_desk, fixed_clock):
    fixed_clock(at("2026-03-10T10:00"))
    body = {"authority": "市应急管理局", "filed_at": at("2026-03-09T10:00").isoformat(), "reference_no": "备-1"}
    draft = plan_desk.create()
    assert plan_desk.call("post", f"/{draft['id']}/filings", 409, json=body)["current_status"] == "draft"
    plan = plan_desk.approved(approved_at=at("2026-03-05T10:00"))
    future = {**body, "filed_at": at("2026-03-11T10:00").isoformat()}
    assert "filed_at" in plan_desk.call("post", f"/{plan['id']}/filings", 422, json=future)["errors"]
    early = {**body, "filed_at": at("2026-03-04T10:00").isoformat()}
    assert "filed_at" in plan_desk.call("post", f"/{plan['id']}/filings", 422, json=early)["errors"]
    assert "reference_no" in plan_desk.call("post", f"/{plan['id']}/filings", 422,
                                            json={**body, "reference_no": ""})["errors"]


@pytest.mark.parametrize("filed_at", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00",
                                      "0001-01-01T00:00:00+00:00", "2201-01-01T00:00:00+08:00"])
def test_a_filing_dated_outside_any_plausible_year_is_422_naming_the_field(plan_desk, filed_at):
    plan = plan_desk.approved()
    body = {"authority": "市应急管理局", "filed_at": filed_at, "reference_no": "备-1"}
    assert plan_desk.call("post", f"/{plan['id']}/filings", 422, json=body)["errors"].keys() == {"filed_at"}
    assert plan_desk.call("get", f"/{plan['id']}/filings")["total"] == 0


def test_a_completed_drill_restarts_the_drill_clock_and_late_older_drills_do_not(plan_desk, plan_events,
                                                                                   fixed_clock):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(type="onsite", approved_at=at("2026-01-05T10:00"))
    assert plan["next_drill_due"] == "2026-07-05"
    drill = plan_events("drill.completed", source="drills", drill_id=str(uuid.uuid4()), plan_id=plan["id"],
                        completed_at=at("2026-05-20T16:00").isoformat(), consumed=[])
    after = plan_desk.get(plan)
    assert (after["last_drilled_at"], after["next_drill_due"]) == ("2026-05-20T08:00:00+00:00", "2026-11-20")
    plan_events("drill.completed", source="drills", drill_id=str(uuid.uuid4()), plan_id=plan["id"],
                completed_at=at("2026-03-01T10:00").isoformat())
    plan_events("drill.completed", source="drills", event=drill)  # redelivered
    assert plan_desk.get(plan)["next_drill_due"] == "2026-11-20"
    history = [entry["action"] for entry in plan_desk.call("get", f"/{plan['id']}/activity")["items"]]
    assert history.count("drilled") == 1


def test_a_drill_without_completed_at_counts_from_when_the_event_occurred(plan_desk, plan_events, fixed_clock):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(type="special", approved_at=at("2026-01-05T10:00"))
    event = Event(type="drill.completed", source="drills", occurred_at=at("2026-05-31T23:30").isoformat(),
                  data={"drill_id": str(uuid.uuid4()), "plan_id": plan["id"]})
    plan_events("drill.completed", source="drills", event=event)
    assert plan_desk.get(plan)["next_drill_due"] == "2027-05-31"


def test_a_drill_completed_in_the_future_counts_from_when_the_event_occurred(plan_desk, plan_events, fixed_clock,
                                                                             caplog):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(type="onsite", approved_at=at("2026-01-05T10:00"))
    event = Event(type="drill.completed", source="drills", occurred_at=at("2026-05-31T18:00").isoformat(),
                  data={"drill_id": str(uuid.uuid4()), "plan_id": plan["id"],
                        "completed_at": at("2062-05-31T17:00").isoformat()})  # a mistyped year
    plan_events("drill.completed", source="drills", event=event)
    after = plan_desk.get(plan)
    assert (after["last_drilled_at"], after["next_drill_due"]) == ("2026-05-31T10:00:00+00:00", "2026-11-30")
    assert "capped" in caplog.text
    # A few minutes of clock difference between the services is taken as it comes.
    skewed = Event(type="drill.completed", source="drills", occurred_at=at("2026-06-01T09:00").isoformat(),
                   data={"drill_id": str(uuid.uuid4()), "plan_id": plan["id"],
                         "completed_at": at("2026-06-01T09:02").isoformat()})
    plan_events("drill.completed", source="drills", event=skewed)
    assert plan_desk.get(plan)["last_drilled_at"] == "2026-06-01T01:02:00+00:00"


def test_a_drill_of_an_unknown_plan_changes_nothing(plan_desk, plan_events):
    plan_events("drill.completed", source="drills", drill_id=str(uuid.uuid4()), plan_id=str(uuid.uuid4()))
    assert plan_desk.call("get", "")["total"] == 0


def test_a_finding_that_requires_revision_flags_the_plan_until_a_revision_is_approved(plan_desk, plan_events,
                                                                                      plans_outbox):
    plan = plan_desk.approved()
    finding_id = str(uuid.uuid4())
    plan_events("finding.recorded", source="drills", finding_id=str(uuid.uuid4()), drill_id=str(uuid.uuid4()),
                plan_id=plan["id"], requires_plan_revision=False, severity="minor")
    assert plan_desk.get(plan)["needs_revision"] is False
    plan_events("finding.recorded", source="drills", finding_id=finding_id, drill_id=str(uuid.uuid4()),
                plan_id=plan["id"], requires_plan_revision=True, severity="major")
    assert plan_desk.get(plan)["needs_revision"] is True
    [(_, data)] = plans_outbox("plan.revision_required")
    assert (data["plan_id"], data["reason"], data["finding_id"]) == (plan["id"], "drill_finding", finding_id)

    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "drill_finding", "finding_id": finding_id})
    plan_desk.step(plan, "submit")
    assert plan_desk.get(plan)["needs_revision"] is True  # still, until the revision is approved
    assert plan_desk.step(plan, "approve", approved_by="王局长")["needs_revision"] is False


def test_a_finding_arriving_after_its_revision_was_approved_does_not_flag_the_plan_again(plan_desk, plan_events,
                                                                                         plans_outbox, fixed_clock):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(approved_at=at("2026-03-02T10:00"))
    finding_id = str(uuid.uuid4())
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "drill_finding", "note": "演练发现"})
    plan_desk.step(plan, "submit")
    plan_desk.step(plan, "approve", approved_by="王局长", approved_at=at("2026-05-20T10:00").isoformat())
    finding = {"finding_id": finding_id, "drill_id": str(uuid.uuid4()), "plan_id": plan["id"],
               "requires_plan_revision": True, "severity": "major"}
    late = Event(type="finding.recorded", source="drills", occurred_at=at("2026-05-10T10:00").isoformat(),
                 data=finding)
    plan_events("finding.recorded", source="drills", event=late)
    assert plan_desk.get(plan)["needs_revision"] is False
    assert plans_outbox("plan.revision_required") == [("plan.revision_required", {
        "plan_id": plan["id"], "code": plan["code"], "reason": "drill_finding", "version": 2, "finding_id": None,
        "drill_id": None, "org_id": None})]


def test_a_finding_named_by_an_approved_revision_is_answered_however_late_it_arrives(plan_desk, plan_events,
                                                                                     fixed_clock):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(approved_at=at("2026-03-02T10:00"))
    finding_id = str(uuid.uuid4())
    # The revision was signed on paper before the finding was entered in the drills service.
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "drill_finding", "finding_id": finding_id})
    plan_desk.step(plan, "submit")
    plan_desk.step(plan, "approve", approved_by="王局长", approved_at=at("2026-05-20T10:00").isoformat())
    plan_events("finding.recorded", source="drills", event=Event(
        type="finding.recorded", source="drills", occurred_at=at("2026-05-25T10:00").isoformat(),
        data={"finding_id": finding_id, "drill_id": str(uuid.uuid4()), "plan_id": plan["id"],
              "requires_plan_revision": True, "severity": "major"}))
    assert plan_desk.get(plan)["needs_revision"] is False
    plan_events("finding.recorded", source="drills", event=Event(
        type="finding.recorded", source="drills", occurred_at=at("2026-05-25T10:00").isoformat(),
        data={"finding_id": str(uuid.uuid4()), "drill_id": str(uuid.uuid4()), "plan_id": plan["id"],
              "requires_plan_revision": True, "severity": "major"}))
    assert plan_desk.get(plan)["needs_revision"] is True  # a finding the revision did not answer still counts


def test_a_revision_restarts_evaluation_and_filing_but_not_the_drill_clock(plan_desk, fixed_clock):
    fixed_clock(at("2026-06-01T10:00"))
    plan = plan_desk.approved(approved_at=at("2026-01-05T10:00"))
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "law_changed"})
    plan_desk.step(plan, "submit")
    revised = plan_desk.step(plan, "approve", approved_by="王局长")
    assert (revised["next_drill_due"], revised["evaluation_due"], revised["filing_due"]) == (
        "2027-01-05", "2029-06-01", "2026-06-29")
    assert revised["filed_at"] is None  # the new version is filed anew
