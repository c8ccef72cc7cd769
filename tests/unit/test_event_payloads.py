"""Every event's payload is a typed value: what an emitter builds is what a consumer parses, field for field."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest

from contracts import events
from contracts.events import REGISTRY, PayloadError
from servicekit.events import Event, new_event

ITEM, DEPOT, LOT, DRILL, PLAN, ORG = (uuid.uuid4() for _ in range(6))
ORG_PATH = "/ROOT/PD/"
HAZARD, ORDER, WARNING, MINE = (uuid.uuid4() for _ in range(4))
MINE_PATH = "/ROOT/PD/MINE-1/"
AT = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.timezone.utc)
TENT = events.ItemSnapshot(id=ITEM, code="LJ-001", name="帐篷", unit="顶", updated_at=AT)

SAMPLES = [
    events.StockChanged(warehouse_id=DEPOT, item_id=ITEM, on_hand=Decimal("12.500"), reserved=Decimal("2"),
                        available=Decimal("10.5"), version=7, min_quantity=Decimal("5"), item=TENT,
                        warehouse=events.DepotName(id=DEPOT, code="WH-01", name="市级储备库"), batch_id=uuid.uuid4(),
                        org_id=ORG, org_path=ORG_PATH),
    events.StockBelowQuota(warehouse_id=DEPOT, item_id=ITEM, available=Decimal("1"), min_quantity=Decimal("5"),
                           shortfall=Decimal("4"), org_id=ORG),
    events.ReservationHeld(reservation_id=uuid.uuid4(), reference=f"drill:{DRILL}", drill_id=DRILL, status="held",
                           expires_at=AT, allocations=[events.Allocation(
                               lot_id=LOT, warehouse_id=DEPOT, item_id=ITEM, quantity=Decimal("3"),
                               expiry_date=dt.date(2027, 6, 30), item=TENT)], org_id=ORG),
    events.ReservationReleased(reservation_id=uuid.uuid4(), reference="防汛演练", status="released", allocations=[],
                               reason="expired"),
    events.ReservationConsumed(reservation_id=uuid.uuid4(), reference=f"drill:{DRILL}", status="consumed",
                               allocations=[], consumed=[events.Line(item_id=ITEM, quantity=Decimal("1.25"))]),
    events.ReservationRejected(reference=f"drill:{DRILL}", drill_id=DRILL, shortfall=[events.Shortfall(
        item_id=ITEM, requested=Decimal("12"), available=Decimal("3"), item=TENT)], org_id=ORG),
    events.ReservationRejected(reference=f"drill:{DRILL}", errors={"lines.0.item_id": ["Unknown item."]}),
    events.ItemChanged(item_id=ITEM, item=TENT, kind="material", category_code="10101"),
    events.PlanApproved(plan_id=PLAN, code="YA-001", version=2, title="防汛应急预案", type="special", approved_at=AT,
                        requirements=[events.Line(item_id=ITEM, quantity=Decimal("20"))], org_id=ORG,
                        org_path=ORG_PATH),
    events.PlanRetired(plan_id=PLAN, code="YA-001", version=2, retired_at=AT, reason="合并", org_id=ORG,
                       org_path=ORG_PATH),
    events.PlanRequirementsChanged(plan_id=PLAN, code="YA-001", lines=[], org_id=ORG),
    events.PlanRevisionRequired(plan_id=PLAN, code="YA-001", reason="drill_finding", finding_id=uuid.uuid4(),
                                drill_id=DRILL, org_id=ORG),
    events.DrillScheduled(drill_id=DRILL, plan_id=PLAN, scheduled_start=AT, scheduled_end=AT + dt.timedelta(hours=2),
                          schedule_revision=3, resources=[events.Line(item_id=ITEM, quantity=Decimal("2"),
                                                                      warehouse_id=DEPOT)],
                          org_id=ORG, org_path=ORG_PATH),
    events.DrillCancelled(drill_id=DRILL, plan_id=PLAN, reason="台风", org_id=ORG),
    events.DrillCompleted(drill_id=DRILL, plan_id=PLAN, completed_at=AT, reservation_id=uuid.uuid4(),
                          consumed=[events.Line(item_id=ITEM, quantity=Decimal("1"))], org_id=ORG),
    events.FindingRecorded(finding_id=uuid.uuid4(), drill_id=DRILL, plan_id=PLAN, severity="major",
                           requires_plan_revision=True, description="通讯中断", org_id=ORG),
    events.OrgChanged(org_id=uuid.uuid4(), code="ENT-001", name="某化工有限公司", kind="enterprise",
                      path="/ROOT/PD/ENT-001/", updated_at=AT, parent_id=uuid.uuid4(), district="浦东新区",
                      industries=["hazardous_chemicals"], principal=events.Person(name="王五", title="总经理"),
                      deputies=[events.Person(name="赵六", title="安全副总")]),
    *(kind(requisition_id=uuid.uuid4(), code="REQ-20261130-3F9A1C", status=status, purpose="emergency", urgent=True,
           destination="川沙镇安置点", org_id=ORG, supplying_org_id=uuid.uuid4(), incident_ref="2026-汛-017",
           lines=[events.RequisitionLine(item_id=ITEM, item=TENT, quantity=Decimal("200"), dispatched=Decimal("200"),
                                         received=Decimal("198"), lost=Decimal("2"))],
           allocations=[events.Allocation(lot_id=LOT, warehouse_id=DEPOT, item_id=ITEM, quantity=Decimal("200"),
                                          expiry_date=dt.date(2027, 6, 30), item=TENT)], **extra)
      for kind, status, extra in (
          (events.RequisitionApproved, "approved", {"approved_by": "李局长", "approved_at": AT,
                                                    "approved_at_submission": True}),
          (events.RequisitionDispatched, "in_transit", {"waybill_no": "WB-01", "dispatched_at": AT}),
          (events.RequisitionClosed, "closed", {"closed_at": AT}))),
    events.HazardRecorded(hazard_id=HAZARD, title="采空区积水", level="major", found_at=AT, org_id=MINE,
                          org_path=MINE_PATH),
    events.RectificationIssued(order_id=ORDER, code="ZG-2026-001", due_date=dt.date(2026, 12, 31), issued_by="检查员 刘明",
                               hazard_ids=[HAZARD], suspend_production=True, relapse_of=uuid.uuid4(), org_id=MINE,
                               org_path=MINE_PATH),
    events.RectificationAcknowledged(order_id=ORDER, code="ZG-2026-001", signed_by="赵安全", position="deputy",
                                     org_id=MINE, org_path=MINE_PATH),
    events.RectificationClosed(order_id=ORDER, code="ZG-2026-001", reviewer="检查员 刘明", closed_at=AT, org_id=MINE),
    events.RectificationOverdue(order_id=ORDER, code="ZG-2026-001", due_date=dt.date(2026, 11, 29), org_id=MINE),
    events.WarningIssued(warning_id=WARNING, code="YJ-2026-007", kind="rainstorm", level="red",
                         directive="stop_and_evacuate", valid_from=AT, valid_to=AT + dt.timedelta(hours=12),
                         districts=["江北区", "南山区"], industries=["mining"], target_org_ids=[MINE], org_id=ORG,
                         org_path=ORG_PATH),
    events.WarningAckOverdue(warning_id=WARNING, code="YJ-2026-007", ack_due_at=AT + dt.timedelta(minutes=30),
                             org_id=MINE, org_path=MINE_PATH, issuer_org_id=ORG),
    events.WarningClosed(warning_id=WARNING, code="YJ-2026-007", summary="两区矿山均已撤人，无伤亡", closed_at=AT,
                         not_acknowledged=[MINE], org_id=ORG, org_path=ORG_PATH),
]
FINDING = next(sample for sample in SAMPLES if isinstance(sample, events.FindingRecorded))


def test_every_event_type_has_a_sample_here():
    assert {type(sample).TYPE for sample in SAMPLES} == set(REGISTRY)


@pytest.mark.parametrize("payload", SAMPLES, ids=lambda payload: type(payload).TYPE)
def test_a_payload_survives_the_envelope_and_comes_back_equal(payload):
    event = new_event(payload, source=type(payload).SOURCE)
    received = Event.from_envelope(json.loads(event.to_json()))
    assert received.type == type(payload).TYPE
    assert type(payload).of(received) == payload


def test_ids_travel_as_text_quantities_as_numbers_and_instants_with_their_offset():
    data = json.loads(new_event(SAMPLES[0], source="resources").to_json())["data"]
    assert data["item_id"] == str(ITEM) and data["on_hand"] == 12.5 and data["version"] == 7
    assert data["item"] == {"id": str(ITEM), "code": "LJ-001", "name": "帐篷", "unit": "顶",
                            "updated_at": "2026-11-30T08:00:00+00:00"}


def test_a_consumer_ignores_fields_it_does_not_know_and_fills_the_optional_ones():
    parsed = events.DrillCancelled.parse({"drill_id": str(DRILL), "tenant": str(uuid.uuid4())})
    assert parsed == events.DrillCancelled(drill_id=DRILL)


def test_events_older_than_organisations_still_parse_without_org_id():
    """Every org_id (and org_path) is optional: an event written before organisations existed parses as before."""
    old = events.DrillScheduled.parse({"drill_id": str(DRILL), "plan_id": str(PLAN)})
    assert old.org_id is None and old.org_path is None
    shared = {events.ItemChanged.TYPE, events.OrgChanged.TYPE}  # the catalog and the directory belong to all
    for name, payload in REGISTRY.items():
        fields = {field.name: field for field in dataclasses.fields(payload)}
        assert name in shared or fields["org_id"].default is None, name


def test_an_instant_without_offset_is_taken_as_utc():
    parsed = events.DrillCompleted.parse({"drill_id": str(DRILL), "plan_id": str(PLAN),
                                          "completed_at": "2026-11-30T08:00:00"})
    assert parsed.completed_at == AT


@pytest.mark.parametrize("data, field", [
    ({"plan_id": str(PLAN)}, "data.drill_id"),
    ({"drill_id": "drill-7", "plan_id": str(PLAN)}, "data.drill_id"),
    ({"drill_id": str(DRILL), "plan_id": str(PLAN), "resources": [{"item_id": str(ITEM), "quantity": "many"}]},
     "data.resources[0].quantity"),
    ({"drill_id": str(DRILL), "plan_id": str(PLAN), "resources": [{"item_id": str(ITEM), "quantity": "NaN"}]},
     "data.resources[0].quantity"),
    ({"drill_id": str(DRILL), "plan_id": str(PLAN), "resources": {"item_id": str(ITEM)}}, "data.resources"),
    ({"drill_id": str(DRILL), "plan_id": str(PLAN), "schedule_revision": "3"}, "data.schedule_revision"),
    ({"drill_id": str(DRILL), "plan_id": None}, "data.plan_id"),
])
def test_data_that_does_not_fit_its_type_is_refused_naming_the_field(data, field):
    with pytest.raises(PayloadError) as refused:
        events.DrillScheduled.parse(data)
    assert refused.value.field == field


def test_a_payload_is_read_only_from_an_event_of_its_own_type():
    event = new_event(FINDING, source="drills")
    with pytest.raises(PayloadError, match="finding.recorded"):
        events.DrillScheduled.of(event)


def test_payloads_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        SAMPLES[0].version = 8


def test_a_service_may_not_emit_another_services_event():
    with pytest.raises(ValueError, match="belongs to drills"):
        new_event(FINDING, source="resources")
