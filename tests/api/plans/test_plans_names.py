"""People read names, not ids (issue 11 item 12) in the plans service: who did what by name, required items
named from the copy of the catalog it keeps from resources' events, and item codes taken in requirements."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit.signing import Actor
from servicekit.testing import signed_client

PLANS = "/api/v1/plans"
PLANNER = Actor(id="5d1c-key-of-zhang", name="预案科张伟", role="planner")
TENTS = str(uuid.uuid4())


def announce_item(plan_events, item_id=TENTS, *, code="ZP-01", name="救灾帐篷", unit="顶",
                  updated_at="2026-12-01T08:00:00+00:00", event_type="item.changed"):
    item = {"id": item_id, "code": code, "name": name, "unit": unit, "updated_at": updated_at}
    if event_type == "item.changed":
        return plan_events("item.changed", source="resources", item_id=item_id, item=item, kind="consumable",
                           category_code="ZP")
    return plan_events("stock.changed", source="resources", warehouse_id=str(uuid.uuid4()), item_id=item_id,
                       item=item, on_hand=5, reserved=0, available=5, version=1)


@pytest.fixture
def planner(plans_app):
    return signed_client(plans_app, actor=PLANNER)


def call(client, method, path, status=200, **kwargs):
    response = getattr(client, method)(PLANS + path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_who_wrote_submitted_approved_and_filed_is_answered_by_name(planner):
    plan = call(planner, "post", "", 201, json={"code": "YA-N1", "title": "防汛预案", "type": "special",
                                                "owner_org": "市应急管理局", "owner": "张伟"})
    me = {"id": PLANNER.id, "name": PLANNER.name}
    assert plan["created_by"] == me and plan["updated_by"] == me
    call(planner, "post", f"/{plan['id']}/submit")
    approved = call(planner, "post", f"/{plan['id']}/approve", json={"approved_by": "王局长"})
    [version] = call(planner, "get", f"/{plan['id']}/versions")["items"]
    assert (version["created_by"], version["submitted_by"], version["approval_recorded_by"]) == (me, me, me)
    assert version["approved_by"] == "王局长"  # the signer's name as given, not a key
    filing = call(planner, "post", f"/{plan['id']}/filings", 201, json={
        "authority": "市应急管理局", "filed_at": approved["approved_at"], "reference_no": "备-9"})
    assert filing["recorded_by"] == me
    assert call(planner, "get", f"/{plan['id']}/activity")["items"][0]["actor"] == me


def test_requirements_take_item_codes_the_catalog_copy_knows(plan_desk, plan_events):
    announce_item(plan_events)
    plan = plan_desk.create()
    answer = plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_code": "ZP-01",
                                                                                   "quantity": 20}]})
    assert answer["requirements"] == [{"item_id": TENTS, "item": {"id": TENTS, "code": "ZP-01", "name": "救灾帐篷",
                                                                  "unit": "顶"}, "quantity": 20}]
    both = {"lines": [{"item_id": TENTS, "item_code": "ZP-01", "quantity": 5}]}
    assert plan_desk.call("put", f"/{plan['id']}/requirements", json=both)["requirements"][0]["quantity"] == 5


def test_an_item_code_the_copy_has_not_heard_of_is_422_naming_it(plan_desk, plan_events):
    plan = plan_desk.create()
    refused = plan_desk.call("put", f"/{plan['id']}/requirements", 422,
                             json={"lines": [{"item_code": "ZP-01", "quantity": 1}]})
    assert "item_code" in refused["errors"]["lines"]["0"]
    announce_item(plan_events)
    other = str(uuid.uuid4())
    disagreeing = plan_desk.call("put", f"/{plan['id']}/requirements", 422,
                                 json={"lines": [{"item_id": other, "item_code": "ZP-01", "quantity": 1}]})
    assert set(disagreeing["errors"]["lines"]["0"]) == {"item_id", "item_code"}


def test_readiness_names_items_learnt_from_stock_changed_too(plan_desk, plan_events):
    water = str(uuid.uuid4())
    announce_item(plan_events, water, code="SW-01", name="瓶装饮用水", unit="箱", event_type="stock.changed")
    plan = plan_desk.create()
    plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_code": "SW-01", "quantity": 8}]})
    [line] = plan_desk.call("get", f"/{plan['id']}/readiness")["lines"]
    assert line["item"] == {"id": water, "code": "SW-01", "name": "瓶装饮用水", "unit": "箱"}
    assert (line["available"], line["shortfall"]) == (5, 3)


def test_the_copy_keeps_the_newest_name_whatever_order_events_arrive_in(plan_desk, plan_events):
    announce_item(plan_events, name="救灾帐篷（新）", updated_at="2026-12-02T08:00:00+00:00")
    announce_item(plan_events, name="救灾帐篷", updated_at="2026-12-01T08:00:00+00:00")  # late and older
    plan = plan_desk.create()
    answer = plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": TENTS, "quantity": 1}]})
    assert answer["requirements"][0]["item"]["name"] == "救灾帐篷（新）"
    renamed = (dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc)).isoformat()
    announce_item(plan_events, code="ZP-02", name="帐篷", updated_at=renamed)
    assert plan_desk.get(plan)["requirements"][0]["item"]["code"] == "ZP-02"
