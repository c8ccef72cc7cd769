"""A drill reserves only from depots in its plan's organisation subtree (SPEC): the resources service reads the
plan's organisation off drill.scheduled and never draws from a depot of another district."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit.events import Event
from services.resources.handlers import ResourceHandlers
from services.resources.models import OrgDirectory

ORGS = {  # code -> (id, path)
    "ROOT": (uuid.uuid4(), "/ROOT/"),
    "PD": (uuid.uuid4(), "/ROOT/PD/"),
    "ENT-001": (uuid.uuid4(), "/ROOT/PD/ENT-001/"),
    "XH": (uuid.uuid4(), "/ROOT/XH/"),
}


@pytest.fixture
def handle(resources_db):
    """Deliver one drills event to its handler, in one transaction, as the worker would."""
    mapping = ResourceHandlers(timezone="Asia/Shanghai").mapping()

    def deliver(event_type: str, **data):
        event = Event(type=event_type, source="drills", data={"plan_id": str(uuid.uuid4()), **data})
        with resources_db.transaction() as session:
            mapping[event_type](event, session=session)
        return event

    return deliver


@pytest.fixture
def depots(resources_db, stockroom, water):
    """A depot of the enterprise (under PD) and one of XH, each holding 10 cases of water; made by the admin."""
    now = dt.datetime.now(dt.timezone.utc)
    with resources_db.transaction() as session:
        for code, (org_id, path) in ORGS.items():
            session.add(OrgDirectory(id=org_id, code=code, name=code, kind="bureau", path=path, parent_id=None,
                                     district=None, industries=[], principal=None, deputies=[], active=True,
                                     changed_at=now))
    made = {code: stockroom.warehouse(org_code=code) for code in ("ENT-001", "XH")}
    for depot in made.values():
        stockroom.receive(depot, water, 10)
    return made


def schedule(handle, water, quantity, org: str, **line):
    drill_id = str(uuid.uuid4())
    org_id, path = ORGS[org]
    handle("drill.scheduled", drill_id=drill_id, org_id=str(org_id), org_path=path,
           resources=[{"item_id": water["id"], "quantity": quantity, **line}])
    return drill_id


def test_a_district_drill_draws_only_from_depots_below_the_district(handle, depots, water, outbox):
    schedule(handle, water, 8, "PD")
    [(_, held)] = outbox("reservation.held")
    assert {a["warehouse_id"] for a in held["allocations"]} == {depots["ENT-001"]["id"]}
    assert held["org_id"] == str(ORGS["PD"][0])  # the hold belongs to the plan's organisation


def test_stock_of_another_district_does_not_cover_a_drill(handle, depots, water, outbox):
    """20 cases exist in the city, but only 10 below PD: a drill of PD needing 15 is short by the district's count."""
    schedule(handle, water, 15, "PD")
    assert outbox("reservation.held") == []
    [(_, rejected)] = outbox("reservation.rejected")
    assert [(line["requested"], line["available"]) for line in rejected["shortfall"]] == [(15, 10)]
    assert rejected["org_id"] == str(ORGS["PD"][0])


def test_a_depot_of_another_district_named_on_a_line_is_a_rejection_saying_so(handle, depots, water, outbox):
    schedule(handle, water, 1, "PD", warehouse_id=depots["XH"]["id"])
    [(_, rejected)] = outbox("reservation.rejected")
    [message] = rejected["errors"]["lines"]
    assert "outside /ROOT/PD/" in message and depots["XH"]["code"] in message


def test_a_city_drill_draws_from_every_district(handle, depots, water, outbox):
    schedule(handle, water, 15, "ROOT")
    [(_, held)] = outbox("reservation.held")
    assert {a["warehouse_id"] for a in held["allocations"]} == {d["id"] for d in depots.values()}


def test_a_drill_scheduled_before_organisations_draws_from_any_depot(handle, depots, water, outbox):
    handle("drill.scheduled", drill_id=str(uuid.uuid4()), resources=[{"item_id": water["id"], "quantity": 15}])
    [(_, held)] = outbox("reservation.held")
    assert len({a["warehouse_id"] for a in held["allocations"]}) == 2


def test_stock_events_carry_the_depots_organisation(depots, water, outbox):
    changed = [data for _, data in outbox("stock.changed") if data["warehouse_id"] == depots["XH"]["id"]]
    assert {(data["org_id"], data["org_path"]) for data in changed} == {(str(ORGS["XH"][0]), "/ROOT/XH/")}
