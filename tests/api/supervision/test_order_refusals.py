"""What a rectification order refuses: a signature by anyone but the registered head or deputy in charge, every step
from the wrong status, hazards that are not the enterprise's or already under an open order, impossible dates, and
callers beyond the order's organisation."""
from __future__ import annotations

import pytest

from inspections import ORDERS, Desk, day, on_day, pin_clock
from servicekit.events import new_event
from supervised import AT, deliver, org_changed


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


@pytest.fixture
def mine(desk):
    return Desk(desk("MINE-1", role="logistics", scope="own"))


@pytest.fixture
def order(inspector):
    return inspector.order(inspector.hazard())


def acknowledge(order) -> tuple[str, dict]:
    return f"{ORDERS}/{order['id']}/acknowledge", {"signed_by": "赵安全", "position": "deputy"}


@pytest.mark.parametrize("signed_by, position", [
    ("张三", "deputy"),  # no one the mine registered
    ("王矿长", "deputy"),  # the head, signing as a deputy in charge
    ("赵安全", "principal"),  # a deputy in charge, signing as the head
    ("孙矿长", "principal"),  # the head of another mine
])
def test_only_the_name_registered_for_the_position_signs(mine, order, signed_by, position):
    path, _ = acknowledge(order)
    problem = mine.refused(path, {"signed_by": signed_by, "position": position}, 422, "signed_by")
    assert signed_by in problem["errors"]["signed_by"][0]
    assert mine.order_of(order)["status"] == "issued"


def test_the_refusal_names_who_is_registered_for_the_position(mine, order):
    path, _ = acknowledge(order)
    problem = mine.refused(path, {"signed_by": "王矿长", "position": "deputy"}, 422, "signed_by")
    assert "赵安全, 钱生产" in problem["errors"]["signed_by"][0]


def test_a_mine_with_no_deputy_registered_can_sign_only_by_its_head(supervision_db, mine, order):
    deliver(supervision_db, new_event(org_changed("MINE-1", deputies=[], updated_at=AT.replace(hour=9)),
                                      source="gateway"))
    path, _ = acknowledge(order)
    problem = mine.refused(path, {"signed_by": "赵安全", "position": "deputy"}, 422, "signed_by")
    assert "no deputy in charge" in problem["errors"]["signed_by"][0]
    assert mine.acknowledge(order, signed_by="王矿长", position="principal")["status"] == "acknowledged"


@pytest.mark.parametrize("body, field", [
    ({"signed_by": "赵安全", "position": "manager"}, "position"),
    ({"signed_by": "", "position": "deputy"}, "signed_by"),
    ({"position": "deputy"}, "signed_by"),
    ({"signed_by": "赵安全", "position": "deputy", "stamp": "公章"}, "stamp"),
])
def test_a_bad_signature_body_is_422_naming_the_field(mine, order, body, field):
    mine.refused(f"{ORDERS}/{order['id']}/acknowledge", body, 422, field)


def steps(order) -> dict[str, tuple[str, dict]]:
    """Each step's path and a body it would accept."""
    return {"acknowledge": acknowledge(order),
            "report": (f"{ORDERS}/{order['id']}/report", {"measures": "已整改", "completed_at": day(0)}),
            "review": (f"{ORDERS}/{order['id']}/review", {"reviewer": "复查员", "result": "passed"})}


ALLOWED_FROM = {"acknowledge": ["issued"], "report": ["acknowledged"], "review": ["reported"]}


def reach(status: str, order, inspector, mine) -> None:
    if status in ("acknowledged", "reported", "closed"):
        mine.acknowledge(order)
    if status in ("reported", "closed"):
        mine.report(order)
    if status == "closed":
        inspector.review(order, "passed")


@pytest.mark.parametrize("status", ["issued", "acknowledged", "reported", "closed"])
def test_every_step_from_the_wrong_status_is_409_naming_where_the_order_stands(inspector, mine, order, status):
    reach(status, order, inspector, mine)
    for action, (path, body) in steps(order).items():
        if status in ALLOWED_FROM[action]:
            continue
        taker = mine if action in ("acknowledge", "report") else inspector  # each step by the side that takes it
        problem = taker.refused(path, body, 409)
        assert (problem["current_status"], problem["allowed_from"]) == (status, ALLOWED_FROM[action]), action
    assert inspector.order_of(order)["status"] == status


def test_a_bureau_does_not_sign_for_or_report_an_enterprises_order_and_an_enterprise_does_not_review_its_own(
        desk, inspector, mine, order):
    bureau_logistics = Desk(desk("JB", role="logistics"))
    assert "MINE-1's own people" in bureau_logistics.refused(
        f"{ORDERS}/{order['id']}/acknowledge", {"signed_by": "赵安全", "position": "deputy"}, 403)["detail"]
    inspector.refused(f"{ORDERS}/{order['id']}/acknowledge", {"signed_by": "赵安全", "position": "deputy"}, 403)
    mine.acknowledge(order)
    bureau_logistics.refused(f"{ORDERS}/{order['id']}/report", {"measures": "x", "completed_at": day(0)}, 403)
    mine.report(order)
    own_inspector = Desk(desk("MINE-1", role="inspector", scope="own"))
    refused = own_inspector.refused(f"{ORDERS}/{order['id']}/review", {"reviewer": "矿安全科", "result": "passed"}, 403)
    assert "Only a bureau above MINE-1" in refused["detail"]
    assert inspector.review(order, "passed")["status"] == "closed"


@pytest.mark.parametrize("fields, field", [
    ({"completed_at": day(1)}, "completed_at"),  # in the future
    ({"completed_at": day(-1)}, "completed_at"),  # before the order was issued
    ({"measures": ""}, "measures"),
    ({"completed_at": "2026-12-02T09:00:00"}, "completed_at"),  # a moment without its offset
])
def test_a_report_with_an_impossible_finish_is_422_naming_the_field(mine, order, fields, field):
    mine.acknowledge(order)
    mine.refused(f"{ORDERS}/{order['id']}/report", {"measures": "已整改", "completed_at": day(0), **fields}, 422, field)


@pytest.mark.parametrize("fields, field", [
    ({"result": "failed"}, "new_due_date"),  # a failure must say by when
    ({"result": "failed", "new_due_date": day(0)}, "new_due_date"),  # today is not after today
    ({"result": "failed", "new_due_date": day(-3)}, "new_due_date"),
    ({"result": "passed", "new_due_date": day(9)}, "new_due_date"),  # closing sets no due date
    ({"result": "partly"}, "result"),
    ({"reviewer": ""}, "reviewer"),
])
def test_a_review_that_cannot_stand_is_422_naming_the_field(inspector, mine, order, fields, field):
    mine.acknowledge(order)
    mine.report(order)
    inspector.refused(f"{ORDERS}/{order['id']}/review", {"reviewer": "复查员", "result": "passed", **fields}, 422,
                      field)
    assert inspector.order_of(order)["status"] == "reported"


def test_an_order_for_another_enterprises_hazard_is_422_naming_hazard_ids(inspector):
    at_chem = inspector.hazard("CHEM-1")
    problem = inspector.refused(ORDERS, {"org_code": "MINE-1", "hazard_ids": [at_chem["id"]], "requirements": "r",
                                         "due_date": day(7), "issued_by": "检查员"}, 422, "hazard_ids")
    assert at_chem["id"] in problem["errors"]["hazard_ids"][0]


def test_hazards_of_two_enterprises_go_on_two_orders(inspector):
    body = {"hazard_ids": [inspector.hazard("MINE-1")["id"], inspector.hazard("CHEM-1")["id"]],
            "requirements": "r", "due_date": day(7), "issued_by": "检查员"}
    assert "CHEM-1, MINE-1" in inspector.refused(ORDERS, body, 422, "hazard_ids")["errors"]["hazard_ids"][0]


def test_a_hazard_unknown_or_outside_the_inspectors_scope_is_422_naming_hazard_ids(desk, inspector):
    beyond = Desk(desk("NS")).hazard("MINE-2")
    for hazard_id in (beyond["id"], "8a0c1b7e-0000-4000-8000-000000000000"):
        inspector.refused(ORDERS, {"hazard_ids": [hazard_id], "requirements": "r", "due_date": day(7),
                                   "issued_by": "检查员"}, 422, "hazard_ids")


def test_a_hazard_already_under_an_open_order_is_409_until_that_order_closes(inspector, mine, order):
    hazard_id = order["hazards"][0]["id"]
    body = {"hazard_ids": [hazard_id], "requirements": "r", "due_date": day(7), "issued_by": "检查员"}
    problem = inspector.refused(ORDERS, body, 409)
    assert problem["hazard_ids"] == [hazard_id] and order["code"] in problem["detail"]
    reach("closed", order, inspector, mine)
    assert inspector.post(ORDERS, body)["hazards"][0]["id"] == hazard_id


@pytest.mark.parametrize("fields, field", [
    ({"due_date": day(-1)}, "due_date"),
    ({"hazard_ids": []}, "hazard_ids"),
    ({"hazard_ids": ["not-an-id"]}, "hazard_ids"),
    ({"requirements": ""}, "requirements"),
    ({"issued_by": None}, "issued_by"),
    ({"suspend_production": "maybe"}, "suspend_production"),
    ({"org_code": "MINE-9"}, "org_code"),
])
def test_a_bad_order_is_422_naming_the_field(inspector, fields, field):
    body = {"hazard_ids": [inspector.hazard()["id"]], "requirements": "r", "due_date": day(7),
            "issued_by": "检查员", **fields}
    inspector.refused(ORDERS, body, 422, field)


def test_an_order_may_fall_due_today(inspector):
    assert inspector.order(inspector.hazard(), due_date=day(0))["overdue"] is False


def test_a_district_inspector_cannot_order_an_enterprise_of_another_district(desk, inspector):
    at_mine_2 = Desk(desk("NS")).hazard("MINE-2")
    problem = inspector.refused(ORDERS, {"org_code": "MINE-2", "hazard_ids": [at_mine_2["id"]], "requirements": "r",
                                         "due_date": day(7), "issued_by": "检查员"}, 403)
    assert "MINE-2" in problem["detail"]


def test_another_enterprise_can_neither_see_nor_answer_the_order(desk, order):
    other = Desk(desk("MINE-2", role="logistics", scope="own"))
    other.order_of(order, expect=404)
    path, body = acknowledge(order)
    other.refused(path, body, 404)
    other.refused(f"{ORDERS}/{order['id']}/report", {"measures": "m", "completed_at": day(0)}, 404)
    assert other.listed(ORDERS) == []


def test_an_order_past_its_due_date_is_still_answered_and_reviewed(inspector, mine, order, monkeypatch):
    on_day(monkeypatch, 30)
    mine.acknowledge(order)
    mine.report(order, completed_at=day(29))
    assert inspector.review(order, "passed")["status"] == "closed"
