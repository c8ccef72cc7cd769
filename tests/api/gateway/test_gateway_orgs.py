"""The city's administrator builds the organisation tree; each caller sees only what its key's scope reaches."""
from __future__ import annotations

import json
import uuid

import pytest
from citydesk import ORGS, CityDesk
from sqlalchemy import select

from contracts.events.directory import OrgChanged, Person
from gateway.testing import ADMIN, assert_problem
from servicekit.db import Database, outbox_table
from servicekit.events import Event


@pytest.fixture
def desk(gateway_client) -> CityDesk:
    return CityDesk(gateway_client)


@pytest.fixture
def city(desk) -> dict:
    return desk.build_city()


def test_the_admin_builds_city_district_and_enterprises_and_each_answer_carries_its_path(gateway_client, desk):
    root = gateway_client.get(ORGS, headers=ADMIN).get_json()["items"][0]
    assert (root["code"], root["name"], root["kind"], root["path"], root["parent"]) == \
        ("ROOT", "市应急管理局", "bureau", "/ROOT/", None)

    made = gateway_client.post(ORGS, headers=ADMIN, json={
        "code": "PD", "name": "浦东新区应急管理局", "kind": "bureau", "parent_id": root["id"], "district": "浦东新区"})
    assert made.status_code == 201
    district = made.get_json()
    assert made.headers["Location"] == f"{ORGS}/{district['id']}"
    assert district["path"] == "/ROOT/PD/"
    assert district["parent"] == {"id": root["id"], "code": "ROOT", "name": "市应急管理局"}
    assert district["created_by"] == {"id": "admin", "name": "admin"} and district["active"] is True

    enterprise = desk.org("ENT-001", "PD", name="上海某化工有限公司", industries=["hazardous_chemicals", "mining"],
                          principal={"name": "王建国", "title": "总经理"}, deputies=[{"name": "李强", "title": "安全副总"}])
    desk.org("ENT-002", "PD", name="浦东轨交运营公司", industries=["rail_transit"])
    assert enterprise["path"] == "/ROOT/PD/ENT-001/"
    assert enterprise["parent"] == {"id": district["id"], "code": "PD", "name": "浦东新区应急管理局"}
    assert (enterprise["principal"], enterprise["deputies"]) == (
        {"name": "王建国", "title": "总经理"}, [{"name": "李强", "title": "安全副总"}])

    assert gateway_client.get(made.headers["Location"], headers=ADMIN).get_json() == district
    assert desk.codes_seen(ADMIN) == ["ROOT", "PD", "ENT-001", "ENT-002"]  # tree order


def test_the_list_filters_by_kind_parent_and_district_and_pages(gateway_client, city):
    def codes(query: str) -> list[str]:
        return [org["code"] for org in gateway_client.get(f"{ORGS}?{query}", headers=ADMIN).get_json()["items"]]

    assert codes("kind=enterprise") == ["ENT-001", "ENT-002"]
    assert codes(f"parent_id={city['PD']['id']}") == ["ENT-001", "ENT-002"]
    assert codes("district=闵行区") == ["MH"]
    page = gateway_client.get(f"{ORGS}?per_page=2&page=2", headers=ADMIN).get_json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (5, 2, 2, 2)
    assert_problem(gateway_client.get(f"{ORGS}?kind=ministry", headers=ADMIN), 422, mentions="kind")


def test_a_district_key_sees_its_district_and_enterprises_and_nothing_else(gateway_client, desk, city):
    district = desk.key("PD", "subtree")
    assert desk.codes_seen(district["auth"]) == ["PD", "ENT-001", "ENT-002"]
    assert gateway_client.get(f"{ORGS}/{city['ENT-002']['id']}", headers=district["auth"]).status_code == 200
    assert_problem(gateway_client.get(f"{ORGS}/{city['MH']['id']}", headers=district["auth"]), 404)
    root_id = gateway_client.get(ORGS, headers=ADMIN).get_json()["items"][0]["id"]
    assert_problem(gateway_client.get(f"{ORGS}/{root_id}", headers=district["auth"]), 404)


def test_an_enterprise_key_of_scope_own_sees_only_its_enterprise(gateway_client, desk, city):
    enterprise = desk.key("ENT-001", "own")
    assert desk.codes_seen(enterprise["auth"]) == ["ENT-001"]
    assert_problem(gateway_client.get(f"{ORGS}/{city['ENT-002']['id']}", headers=enterprise["auth"]), 404)
    assert_problem(gateway_client.get(f"{ORGS}/{city['PD']['id']}", headers=enterprise["auth"]), 404)
    # A district key of scope own sees the district alone, not its enterprises.
    assert desk.codes_seen(desk.key("PD", "own")["auth"]) == ["PD"]


def test_a_district_admin_creates_under_its_own_district_but_not_under_another(gateway_client, desk, city):
    district_admin = desk.key("PD", "subtree", role="admin")
    made = desk.org("ENT-003", "ENT-001", "custodian", headers=district_admin["auth"])
    assert made["path"] == "/ROOT/PD/ENT-001/ENT-003/"
    problem = assert_problem(gateway_client.post(ORGS, headers=district_admin["auth"], json={
        "code": "MH-ENT", "name": "闵行某企业", "kind": "enterprise", "parent_code": "MH"}), 403, mentions="outside")
    assert "MH" in problem["detail"]
    assert_problem(gateway_client.post(ORGS, headers=desk.key("ENT-002", "own", role="admin")["auth"], json={
        "code": "SUB", "name": "下属单位", "kind": "enterprise", "parent_code": "PD"}), 403)


def test_names_and_heads_change_but_the_parent_and_code_never_do(gateway_client, desk, city):
    target = f"{ORGS}/{city['ENT-001']['id']}"
    changed = gateway_client.patch(target, headers=ADMIN, json={
        "name": "上海某化工股份有限公司", "industries": ["hazardous_chemicals", "other"], "active": False,
        "principal": {"name": "赵敏", "title": "董事长"}, "deputies": []})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    body = changed.get_json()
    assert (body["name"], body["industries"], body["active"], body["principal"], body["deputies"]) == (
        "上海某化工股份有限公司", ["hazardous_chemicals", "other"], False, {"name": "赵敏", "title": "董事长"}, [])
    assert body["path"] == "/ROOT/PD/ENT-001/" and body["updated_at"] >= body["created_at"]

    for changes, field in (({"parent_id": city["MH"]["id"]}, "parent_id"), ({"parent_code": "MH"}, "parent_code"),
                           ({"code": "ENT-009"}, "code")):
        problem = assert_problem(gateway_client.patch(target, headers=ADMIN, json=changes), 409)
        assert problem["field"] == field
    assert "the parent never changes" in assert_problem(
        gateway_client.patch(target, headers=ADMIN, json={"parent_code": "MH"}), 409)["detail"]
    # Sending back what it already is, as a client PATCHing what it read does, is no change of parent.
    assert gateway_client.patch(target, headers=ADMIN, json={"parent_code": "PD", "code": "ENT-001"}).status_code == 200
    assert_problem(gateway_client.patch(f"{ORGS}/{city['MH']['id']}", headers=desk.key("PD", "subtree", "admin")["auth"],
                                        json={"name": "x"}), 404)


@pytest.mark.parametrize("body, field", [
    ({"kind": "ministry"}, "kind"),
    ({"industries": ["mining", "banking"]}, "industries"),
    ({"parent_id": str(uuid.uuid4())}, "parent_id"),
    ({"parent_code": "NOWHERE"}, "parent_code"),
    ({"parent_code": None}, "parent_code"),
    ({"code": "A/B"}, "code"),
    ({"code": ""}, "code"),
    ({"name": ""}, "name"),
    ({"principal": {"title": "总经理"}}, "principal"),
    ({"colour": "red"}, "colour"),
])
def test_an_invalid_organisation_is_refused_naming_the_field(gateway_client, body, field):
    base = {"code": "ENT-X", "name": "某企业", "kind": "enterprise", "parent_code": "ROOT"}
    problem = assert_problem(gateway_client.post(ORGS, headers=ADMIN, json={**base, **body}), 422)
    assert field in problem["errors"], problem


def test_no_parent_at_all_is_refused_naming_it_and_a_taken_code_is_a_conflict(gateway_client, desk, city):
    problem = assert_problem(gateway_client.post(ORGS, headers=ADMIN, json={
        "code": "LOOSE", "name": "无上级", "kind": "enterprise"}), 422)
    assert "parent_id" in problem["errors"]
    assert_problem(gateway_client.post(ORGS, headers=ADMIN, json={
        "code": "PD", "name": "又一个浦东", "kind": "bureau", "parent_code": "ROOT"}), 409, mentions="PD")


def test_bodies_are_json_and_small(gateway_client):
    assert_problem(gateway_client.post(ORGS, headers={**ADMIN, "Content-Type": "text/plain"}, data="code=X"), 415)
    assert_problem(gateway_client.post(ORGS, headers={**ADMIN, "Content-Type": "application/json"}, data="{"), 400)
    huge = {"code": "BIG", "name": "某企业", "kind": "enterprise", "parent_code": "ROOT", "district": "x" * 2000}
    assert_problem(gateway_client.post(ORGS, headers=ADMIN, json=huge), 413)  # the test gateway allows 1024 bytes


def test_every_create_and_change_is_announced_as_org_changed_in_the_gateway_outbox(gateway_client, desk, city,
                                                                                   gateway_db_url):
    gateway_client.patch(f"{ORGS}/{city['ENT-001']['id']}", headers=ADMIN, json={"name": "上海某化工股份有限公司"})
    database = Database(gateway_db_url)
    with database.session(readonly=True) as session:
        rows = session.execute(select(outbox_table).order_by(outbox_table.c.seq)).all()
    database.dispose()
    events = [Event.from_envelope(json.loads(row.envelope)) for row in rows]
    assert [event.type for event in events] == ["org.changed"] * 6
    assert {event.source for event in events} == {"gateway"}
    payloads = [OrgChanged.of(event) for event in events]
    # The root first: its migration announced it.
    assert [payload.code for payload in payloads] == ["ROOT", "PD", "ENT-001", "ENT-002", "MH", "ENT-001"]
    created, renamed = payloads[2], payloads[5]
    assert created == OrgChanged(
        org_id=uuid.UUID(city["ENT-001"]["id"]), code="ENT-001", name="上海某化工有限公司", kind="enterprise",
        path="/ROOT/PD/ENT-001/", updated_at=created.updated_at, parent_id=uuid.UUID(city["PD"]["id"]),
        district="浦东新区", industries=["hazardous_chemicals"], principal=Person(name="王建国", title="总经理"),
        deputies=[Person(name="李强", title="安全副总")], active=True)
    assert renamed.name == "上海某化工股份有限公司" and renamed.updated_at > created.updated_at
    assert all(row.published_at is None for row in rows)  # waiting for the gateway's relay


def test_a_refused_create_announces_nothing(gateway_client, gateway_db_url):
    assert_problem(gateway_client.post(ORGS, headers=ADMIN, json={
        "code": "X", "name": "某企业", "kind": "enterprise", "parent_code": "NOWHERE"}), 422)
    database = Database(gateway_db_url)
    with database.session(readonly=True) as session:
        announced = session.execute(select(outbox_table.c.envelope)).scalars().all()
    database.dispose()
    assert [json.loads(envelope)["data"]["code"] for envelope in announced] == ["ROOT"]  # the migration's only
