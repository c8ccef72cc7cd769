"""A requisition as the resources API answers it (requisitions-api.md: GET /requisitions/{id}) at each step of its
life: Pudong's bureau asks the city for tents and masks for a flood; the city's two depots supply them."""
from __future__ import annotations

import copy

CITY = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
PUDONG = {"id": "5c1e8a8e-2b7d-4a5e-9d1c-6f3b2a1e0c02", "code": "SH-PD", "name": "浦东新区应急管理局"}
DEPOT = {"id": "eaaf09e1-1ca2-447c-8eaf-7171dd95c032", "code": "WH-SH-01", "name": "市级应急物资储备库"}
SECOND_DEPOT = {"id": "7d3f1c2b-9a8e-4f6d-b5c4-3e2d1f0a9b03", "code": "WH-SH-02", "name": "市级第二储备库"}
TENTS = {"id": "26ccfb29-0e08-47f4-ace8-aa4b5ea35159", "code": "TENT-01", "name": "救灾帐篷", "unit": "顶"}
MASKS = {"id": "8a4e2b1c-3d5f-4e6a-9b7c-1d2e3f4a5b04", "code": "MASK-01", "name": "医用防护口罩", "unit": "盒"}
REQUISITION_ID = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e005"
SECOND_ID = "a9b8c7d6-e5f4-4321-9876-fedcba987606"
CLERK = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a07", "name": "李调度"}
LOTS = ("10a302ed-7c81-43ab-a669-003bf119ee80", "20b413fe-8d92-44bc-b77a-114c020aff91",
        "30c524af-9ea3-45cd-c88b-225d131b0aa2")
# Every id the pages are fed: none may show in what a person reads.
IDS = (CITY["id"], PUDONG["id"], DEPOT["id"], SECOND_DEPOT["id"], TENTS["id"], MASKS["id"], REQUISITION_ID,
       SECOND_ID, CLERK["id"], *LOTS)

_LINE_STEPS = ("dispatched", "received", "lost", "returned", "damaged", "consumed")


def _line(item: dict, quantity: float, **steps) -> dict:
    return {"item_id": item["id"], "item": item, "quantity": quantity, "warehouse_id": None, "warehouse": None,
            **{step: steps.get(step, 0) for step in _LINE_STEPS}}


def _allocation(lot: str, depot: dict, item: dict, quantity: float, batch: str, expiry: str | None) -> dict:
    return {"lot_id": lot, "warehouse_id": depot["id"], "warehouse": depot, "item_id": item["id"], "item": item,
            "quantity": quantity, "batch_no": batch, "expiry_date": expiry}


SUBMITTED = {
    "id": REQUISITION_ID, "code": "REQ-20261202-3F9A1C", "purpose": "emergency", "status": "submitted",
    "urgent": False, "incident_ref": "2026-浦东-汛-017", "destination": "浦东新区川沙镇安置点",
    "needed_by": "2026-12-03", "note": "川沙镇内涝，转移群众约300人",
    "requesting_org_id": PUDONG["id"], "requesting_org": PUDONG, "supplying_org_id": CITY["id"],
    "supplying_org": CITY, "sides": ["supplying"],
    "lines": [_line(TENTS, 40), _line(MASKS, 12.5)], "allocations": [], "returns": [],
    "approved_by": None, "approved_at": None, "approval_note": None, "approved_at_submission": False,
    "rejected_reason": None, "rejected_at": None, "cancelled_reason": None, "cancelled_at": None,
    "waybill_no": None, "vehicle": None, "driver": None, "dispatched_at": None,
    "received_by": None, "received_at": None, "receive_note": None, "return_note": None, "closed_at": None,
    "created_by": CLERK, "created_at": "2026-12-02T01:15:00+00:00", "updated_at": "2026-12-02T01:15:00+00:00"}

_HELD = [_allocation(LOTS[0], DEPOT, TENTS, 30, "T2024-01", None),
         _allocation(LOTS[1], SECOND_DEPOT, TENTS, 10, "T2025-02", None),
         _allocation(LOTS[2], DEPOT, MASKS, 12.5, "M2025-07", "2027-06-30")]


def requisition(status: str = "submitted", sides: tuple[str, ...] = ("supplying",), **changes) -> dict:
    """The requisition as it stands at `status`, seen from `sides`, with `changes` on top."""
    found = copy.deepcopy(SUBMITTED)
    found.update(status=status, sides=list(sides))
    reached = ("approved", "in_transit", "received", "closed")
    if status in reached or (status == "cancelled" and changes.get("approved_at")):
        found.update(allocations=copy.deepcopy(_HELD), approved_by="陈局长", approved_at="2026-12-02T02:00:00+00:00",
                     approval_note="按先到期先出库调拨")
    if status in reached[1:]:
        found.update(waybill_no="YD-20261202-001", vehicle="沪A·D1234", driver="周师傅 13800000000",
                     dispatched_at="2026-12-02T03:30:00+00:00")
        found["lines"] = [_line(TENTS, 40, dispatched=40), _line(MASKS, 12.5, dispatched=12.5)]
    if status in reached[2:]:
        found.update(received_by="王站长", received_at="2026-12-02T06:10:00+00:00", receive_note="2顶帐篷途中丢失")
        found["lines"] = [_line(TENTS, 40, dispatched=40, received=38, lost=2),
                          _line(MASKS, 12.5, dispatched=12.5, received=12.5)]
    found["history"] = [{"action": action, "by": {"id": f"user-{n}", "name": name}, "at": at} for n, (action, name, at)
                        in enumerate((("submitted", CLERK["name"], SUBMITTED["created_at"]),
                                      ("approved", "市局值班员", "2026-12-02T02:00:00+00:00"),
                                      ("dispatched", "张库管", "2026-12-02T03:30:00+00:00"),
                                      ("received", "浦东收货员", "2026-12-02T06:10:00+00:00"),
                                      ("returned", "浦东收货员", "2026-12-09T08:00:00+00:00")))
                        if {"submitted": True, "approved": status in reached, "dispatched": status in reached[1:],
                            "received": status in reached[2:], "returned": status == "closed"}[action]]
    if status == "closed":
        found.update(closed_at="2026-12-09T08:00:00+00:00", return_note="安置结束")
        found["lines"] = [_line(TENTS, 40, dispatched=40, received=38, lost=2, returned=30, damaged=3, consumed=5),
                          _line(MASKS, 12.5, dispatched=12.5, received=12.5, consumed=12.5)]
        found["returns"] = [
            {"item_id": TENTS["id"], "item": TENTS, "quantity": 30, "warehouse_id": DEPOT["id"], "warehouse": DEPOT,
             "condition": "usable"},
            {"item_id": TENTS["id"], "item": TENTS, "quantity": 3, "warehouse_id": SECOND_DEPOT["id"],
             "warehouse": SECOND_DEPOT, "condition": "damaged"}]
    found.update(changes)
    return found
