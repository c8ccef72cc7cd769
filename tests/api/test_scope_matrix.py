"""The scope matrix: five callers of four organisations × every operation every service describes. Each list answers
exactly the caller's scope, a record outside it answers 404 to every read and write (and the write changes
nothing), creating for an organisation outside it is 403, and no aggregate lets anything outside through.

The operations come from each service's own OpenAPI document: one the matrix does not name fails the test, so a
new endpoint cannot ship without saying how scope applies to it (or that it is shared, like the catalog)."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from scopechecks import (API, Check, attachment_content, both, create_outside, filtered_by_foreign_depot, foreign_depot,
                         listed, outside, query, read, requisition_from_foreign_depot, requisition_read,
                         requisition_step, requisitions_listed, unchanged, uploaded_outside, write)
from scopeworld import CALLERS, OWNERS, RECEIVED, RESERVED, SEES, SERVICES, World, build
from stockroom import in_days


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, tmp_path_factory):
    """One world per backend, built once: every check below only reads, or is refused and changes nothing."""
    made = build(World(request.param, request.config, tmp_path_factory))
    yield made
    made.dispose()


# --- aggregates -------------------------------------------------------------------------------------
def nearest(world: World) -> int:
    for caller in CALLERS:
        found = world.json("resources", caller, "get", query("/stock/nearest", item_id=world.records["item"]["tents"],
                                                             quantity=1, lat=31.2, lon=121.5))
        assert {row["warehouse_id"] for row in found["items"]} == world.ids("depot", SEES[caller]), caller
        assert found["total_available"] == (RECEIVED - RESERVED) * len(SEES[caller]), caller
    return len(CALLERS)


def exported(world: World) -> int:
    """The CSV and the XLSX name exactly the depots in scope."""
    for caller in CALLERS:
        wanted = {world.depot_codes[owner] for owner in SEES[caller]}
        sheet = world.call("resources", caller, "get", "/stock/export?format=csv", 200).get_data(as_text=True)
        assert {row["warehouse_code"] for row in csv.DictReader(io.StringIO(sheet.lstrip("\ufeff")))} == wanted
        book = load_workbook(io.BytesIO(world.call("resources", caller, "get", "/stock/export?format=xlsx",
                                                   200).get_data()))
        codes = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
        assert codes == wanted, caller
    return 2 * len(CALLERS)


def ledger_printed(world: World) -> int:
    """The printed ledger of a depot in scope is a PDF; of one outside it, 404 as if the depot did not exist."""
    for caller in CALLERS:
        for owner in OWNERS:
            depot = world.records["depot"][owner]
            answer = world.call("resources", caller, "get", query("/stock/ledger.pdf", warehouse_id=depot),
                                200 if owner in SEES[caller] else 404)
            assert answer.mimetype == ("application/pdf" if owner in SEES[caller] else "application/problem+json")
    return len(CALLERS) * len(OWNERS)


def imported(world: World) -> int:
    """A spreadsheet row naming a depot outside the scope by its code is refused as a code nobody has would be."""

    def refusal(caller: str, code: str) -> str:
        sheet = f"warehouse_code,item_code,quantity,batch_no,expiry_date\n{code},IT-TENT,1,X-1,{in_days(30)}\n"
        refused = world.json("resources", caller, "post", "/stock/import", 422, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(sheet.encode()), "入库.csv")})
        return str(refused["errors"]["row 2"]).replace(code, "<code>")

    def attempts() -> int:
        cells = 0
        for caller in CALLERS:
            unknown = refusal(caller, "WH-NOBODY")
            for owner in outside(caller):
                assert refusal(caller, world.depot_codes[owner]) == unknown, (caller, owner)
                cells += 1
        return cells

    return unchanged(world, "resources", attempts)


def below(owner: str) -> set[str]:
    """The callers whose organisation lies in `owner`'s subtree: the depots a plan of `owner` draws on."""
    return {other for other in OWNERS if CALLERS[other][1].startswith(CALLERS[owner][1])}


def available(world: World, caller: str, owner: str) -> int:
    """What an approved plan of `owner` may count on, as `caller` sees it: its subtree's depots in scope."""
    return (RECEIVED - RESERVED) * len(below(owner) & SEES[caller])


def readiness_by_plan(world: World) -> int:
    cells = 0
    for caller in CALLERS:
        for owner in SEES[caller]:
            answer = world.json("plans", caller, "get", f"/plans/{world.records['plan_approved'][owner]}/readiness")
            assert [line["available"] for line in answer["lines"]] == [available(world, caller, owner)], \
                (caller, owner, answer)
            cells += 1
    return cells


def readiness_of_all(world: World) -> int:
    for caller in CALLERS:
        answer = world.json("plans", caller, "get", "/plans/readiness?per_page=500")["items"]
        by_plan = {row["plan_id"]: row["lines"][0]["available"] for row in answer}
        assert by_plan == {world.records["plan_approved"][owner]: available(world, caller, owner)
                           for owner in SEES[caller]}, caller
    return len(CALLERS)


def calendar(world: World) -> int:
    drills = [kind for kind in world.records if kind.startswith("drill_")]
    for caller in CALLERS:
        feed = world.call("drills", caller, "get", "/drills/calendar.ics", 200).get_data(as_text=True)
        every = set().union(*(world.ids(kind, OWNERS) for kind in drills))
        assert {drill for drill in every if drill in feed} == set().union(
            *(world.ids(kind, SEES[caller]) for kind in drills)), caller
    return len(CALLERS)


def scheduled_outside(world: World) -> int:
    """A drill belongs to its plan's organisation: scheduling one of a plan outside the scope is 404 (the plan
    does not exist for the caller), and nothing is scheduled."""

    def attempts() -> int:
        cells = 0
        for caller in CALLERS:
            for owner in outside(caller):
                world.call("drills", caller, "post", "/drills", 404, json={
                    "plan_id": world.records["plan_approved"][owner], "title": "越权演练", "form": "tabletop",
                    "scope": "single", "scheduled_start": "2030-01-05T09:00:00+08:00",
                    "scheduled_end": "2030-01-05T12:00:00+08:00"})
                cells += 1
        return cells

    return unchanged(world, "drills", attempts)


SCORES = {"plan_suitability": 2, "preparation": 2, "command_coordination": 2, "response_actions": 2,
          "equipment_materials": 2}


def home(world: World, caller: str) -> str:
    """A depot the caller may move stock to and from (the district's for its own desk)."""
    return world.records["depot"][caller if caller in OWNERS else "district"]


def move(world: World, caller: str, depot: str) -> list[dict]:
    return [{"warehouse_id": depot, "item_id": world.records["item"]["tents"], "quantity": 1}]


# --- the matrix: (method, path as described) -> how scope applies to it --------------------------------
R, P, D = f"{API}/", f"{API}/plans", f"{API}/drills"
DRILL_KINDS = ("drill_ready", "drill_running", "drill_finished", "drill_evaluated")
MATRIX: dict[tuple[str, str], Check] = {
    # resources
    ("GET", R + "warehouses"): listed("resources", R + "warehouses", ("depot",)),
    ("POST", R + "warehouses"): create_outside("resources", R + "warehouses",
                                               lambda code: {"code": code, "name": "越权库", "level": "county"}),
    ("GET", R + "warehouses/{warehouse_id}"): read("resources", R + "warehouses/{warehouse_id}", "depot"),
    ("PATCH", R + "warehouses/{warehouse_id}"): write("resources", "PATCH", R + "warehouses/{warehouse_id}", "depot",
                                                      {"name": "越权改名"}),
    ("POST", R + "stock/receipts"): foreign_depot("POST", R + "stock/receipts", move),
    ("POST", R + "stock/issues"): foreign_depot("POST", R + "stock/issues", lambda world, caller, depot: [
        {**move(world, caller, depot)[0], "reason": "抢险"}]),
    ("GET", R + "stock"): both(listed("resources", R + "stock", ("depot",), "warehouse_id"),
                               filtered_by_foreign_depot(R + "stock")),
    ("GET", R + "stock/lots"): both(listed("resources", R + "stock/lots", ("depot",), "warehouse_id"),
                                    filtered_by_foreign_depot(R + "stock/lots")),
    ("GET", R + "movements"): both(listed("resources", R + "movements", ("depot",), "warehouse_id"),
                                   filtered_by_foreign_depot(R + "movements")),
    ("GET", R + "movements/{movement_id}"): read("resources", R + "movements/{movement_id}", "movement"),
    ("POST", R + "stock/transfers"): foreign_depot("POST", R + "stock/transfers", lambda world, caller, depot: [
        {"from_warehouse_id": source, "to_warehouse_id": target, "item_id": world.records["item"]["tents"],
         "quantity": 1} for source, target in ((depot, home(world, caller)), (home(world, caller), depot))]),
    ("POST", R + "stock/adjustments"): foreign_depot("POST", R + "stock/adjustments", lambda world, caller, depot: [
        {"warehouse_id": depot, "item_id": world.records["item"]["tents"], "counted_quantity": 5, "reason": "盘点"}]),
    # A write-off naming a depot outside the caller's scope, with any lot (its own among them): no such depot.
    ("POST", R + "stock/disposals"): foreign_depot("POST", R + "stock/disposals", lambda world, caller, depot: [
        {"warehouse_id": depot, "lot_id": lot, "quantity": 1, "reason": "expired", "approved_by": "王科长"}
        for lot in world.records["lot"].values()]),
    ("PUT", R + "quotas"): foreign_depot("PUT", R + "quotas", lambda world, caller, depot: [
        {"warehouse_id": depot, "item_id": world.records["item"]["tents"], "min_quantity": 1}]),
    ("POST", R + "reservations"): foreign_depot("POST", R + "reservations", lambda world, caller, depot: [
        {"reference": "ops:越权", "lines": move(world, caller, depot)}]),
    ("GET", R + "reservations/{reservation_id}"): read("resources", R + "reservations/{reservation_id}",
                                                       "reservation"),
    ("POST", R + "reservations/{reservation_id}/release"): write(
        "resources", "POST", R + "reservations/{reservation_id}/release", "reservation", {}),
    ("POST", R + "reservations/{reservation_id}/consume"): write(
        "resources", "POST", R + "reservations/{reservation_id}/consume", "reservation",
        lambda world: {"lines": [{"item_id": world.records["item"]["tents"], "quantity": 1}]}),
    ("GET", R + "equipment"): both(listed("resources", R + "equipment", ("unit",)),
                                   filtered_by_foreign_depot(R + "equipment")),
    ("POST", R + "equipment"): foreign_depot("POST", R + "equipment", lambda world, caller, depot: [
        {"warehouse_id": depot, "item_id": world.records["item"]["radio"], "serial_no": f"SN-X-{caller}"}]),
    ("GET", R + "equipment/{unit_id}"): read("resources", R + "equipment/{unit_id}", "unit"),
    ("POST", R + "equipment/{unit_id}/inspections"): write(
        "resources", "POST", R + "equipment/{unit_id}/inspections", "unit",
        {"result": "fail", "inspector": "越权", "inspected_at": "2026-01-05T08:00:00+08:00"}),
    ("POST", R + "equipment/{unit_id}/retire"): write("resources", "POST", R + "equipment/{unit_id}/retire", "unit",
                                                      {"reason": "越权报废"}),
    ("GET", R + "alerts"): both(listed("resources", R + "alerts", ("depot",), "warehouse_id"),
                                filtered_by_foreign_depot(R + "alerts")),
    ("GET", R + "requisitions"): requisitions_listed(R + "requisitions"),
    ("POST", R + "requisitions"): requisition_from_foreign_depot(R + "requisitions"),
    ("GET", R + "requisitions/{requisition_id}"): requisition_read(R + "requisitions/{requisition_id}"),
    **{("POST", R + f"requisitions/{{requisition_id}}/{action}"): requisition_step(
        R + f"requisitions/{{requisition_id}}/{action}", body) for action, body in (
        ("approve", lambda world: {"approved_by": "越权"}), ("reject", lambda world: {"reason": "越权"}),
        ("cancel", lambda world: {"reason": "越权"}), ("dispatch", lambda world: {"waybill_no": "WB-越权"}),
        ("receive", lambda world: {"received_by": "越权", "lines": [{"item_id": world.records["item"]["tents"],
                                                                   "quantity": 1}]}),
        ("return", lambda world: {"lines": []}))},
    ("GET", R + "stock/nearest"): Check("resources", nearest),
    ("GET", R + "stock/export"): Check("resources", exported),
    ("POST", R + "stock/import"): Check("resources", imported),
    ("GET", R + "stock/ledger.pdf"): Check("resources", ledger_printed),
    # plans
    ("GET", P): listed("plans", P, ("plan_approved", "plan_draft", "plan_review")),
    ("POST", P): create_outside("plans", P, lambda code: {"code": code, "title": "越权预案", "type": "special",
                                                          "owner_org": "x", "owner": "x"}),
    ("GET", P + "/{plan_id}"): read("plans", P + "/{plan_id}", "plan_approved"),
    ("GET", P + "/{plan_id}/filing-form.pdf"): read("plans", P + "/{plan_id}/filing-form.pdf", "plan_approved"),
    ("PATCH", P + "/{plan_id}"): write("plans", "PATCH", P + "/{plan_id}", "plan_draft", {"summary": "越权"}),
    ("PUT", P + "/{plan_id}/requirements"): write("plans", "PUT", P + "/{plan_id}/requirements", "plan_draft",
                                                  {"lines": []}),
    ("GET", P + "/{plan_id}/readiness"): both(read("plans", P + "/{plan_id}/readiness", "plan_approved"),
                                              Check("plans", readiness_by_plan)),
    ("GET", P + "/{plan_id}/versions"): read("plans", P + "/{plan_id}/versions", "plan_approved"),
    ("GET", P + "/{plan_id}/versions/{number}"): read("plans", P + "/{plan_id}/versions/{number}", "plan_approved"),
    ("GET", P + "/{plan_id}/activity"): read("plans", P + "/{plan_id}/activity", "plan_approved"),
    ("POST", P + "/{plan_id}/submit"): write("plans", "POST", P + "/{plan_id}/submit", "plan_draft"),
    ("POST", P + "/{plan_id}/approve"): write("plans", "POST", P + "/{plan_id}/approve", "plan_review",
                                              {"approved_by": "越权"}),
    ("POST", P + "/{plan_id}/retire"): write("plans", "POST", P + "/{plan_id}/retire", "plan_approved", {}),
    ("POST", P + "/{plan_id}/revisions"): write("plans", "POST", P + "/{plan_id}/revisions", "plan_approved",
                                                {"reason": "other"}),
    ("GET", P + "/{plan_id}/filings"): read("plans", P + "/{plan_id}/filings", "plan_approved"),
    ("POST", P + "/{plan_id}/filings"): write("plans", "POST", P + "/{plan_id}/filings", "plan_approved", {
        "authority": "越权", "reference_no": "备-X", "filed_at": "2026-01-05T08:00:00+08:00"}),
    ("GET", P + "/readiness"): both(listed("plans", P + "/readiness", ("plan_approved",), "plan_id"),
                                    Check("plans", readiness_of_all)),
    # drills
    ("GET", D + "/calendar.ics"): Check("drills", calendar),
    # Files on a plan or a drill: listed and added as the record is seen; an attachment's bytes (a path the plans and
    # drills services both describe, the gateway asking them in turn) by its record's scope.
    ("GET", P + "/{plan_id}/attachments"): read("plans", P + "/{plan_id}/attachments", "plan_approved"),
    ("POST", P + "/{plan_id}/attachments"): uploaded_outside("plans", P + "/{plan_id}/attachments", "plan_approved"),
    ("GET", D + "/{drill_id}/attachments"): read("drills", D + "/{drill_id}/attachments", "drill_evaluated"),
    ("POST", D + "/{drill_id}/attachments"): uploaded_outside("drills", D + "/{drill_id}/attachments", "drill_ready"),
    ("GET", f"{API}/attachments/{{attachment_id}}/content"): both(
        attachment_content("drills", D + "/{drill_id}/attachments", "drill_evaluated"),
        attachment_content("plans", P + "/{plan_id}/attachments", "plan_approved")),
    ("GET", D): both(listed("drills", D, DRILL_KINDS),
                     listed("drills", D, ("drill_ready", "drill_running"), upcoming="true")),
    ("POST", D): Check("drills", scheduled_outside),
    ("GET", D + "/{drill_id}"): read("drills", D + "/{drill_id}", "drill_evaluated"),
    ("GET", D + "/{drill_id}/report.pdf"): read("drills", D + "/{drill_id}/report.pdf", "drill_evaluated"),
    ("PATCH", D + "/{drill_id}"): write("drills", "PATCH", D + "/{drill_id}", "drill_ready", {"title": "越权"}),
    ("POST", D + "/{drill_id}/start"): write("drills", "POST", D + "/{drill_id}/start", "drill_ready", {}),
    ("POST", D + "/{drill_id}/complete"): write("drills", "POST", D + "/{drill_id}/complete", "drill_running", {
        "consumed": [], "participants_count": 1, "summary": "越权"}),
    ("POST", D + "/{drill_id}/cancel"): write("drills", "POST", D + "/{drill_id}/cancel", "drill_ready", {}),
    ("POST", D + "/{drill_id}/retry-reservation"): write("drills", "POST", D + "/{drill_id}/retry-reservation",
                                                         "drill_ready"),
    ("GET", D + "/{drill_id}/evaluation"): read("drills", D + "/{drill_id}/evaluation", "drill_evaluated"),
    ("POST", D + "/{drill_id}/evaluation"): write("drills", "POST", D + "/{drill_id}/evaluation", "drill_finished",
                                                  {"scores": SCORES, "rating": "poor", "evaluator": "越权"}),
    ("PATCH", D + "/{drill_id}/evaluation"): write("drills", "PATCH", D + "/{drill_id}/evaluation",
                                                   "drill_evaluated", {"rating": "poor"}),
    ("GET", D + "/{drill_id}/findings"): read("drills", D + "/{drill_id}/findings", "drill_evaluated"),
    ("POST", D + "/{drill_id}/findings"): write("drills", "POST", D + "/{drill_id}/findings", "drill_running",
                                                {"description": "越权", "severity": "low"}),
    ("GET", f"{API}/corrective-actions"): listed("drills", f"{API}/corrective-actions", ("action_open", "action_done")),
    ("GET", f"{API}/corrective-actions/{{action_id}}"): read("drills", f"{API}/corrective-actions/{{action_id}}",
                                                             "action_open"),
    ("POST", f"{API}/corrective-actions/{{action_id}}/complete"): write(
        "drills", "POST", f"{API}/corrective-actions/{{action_id}}/complete", "action_open", {}),
    ("POST", f"{API}/corrective-actions/{{action_id}}/verify"): write(
        "drills", "POST", f"{API}/corrective-actions/{{action_id}}/verify", "action_done", {"verifier": "越权"}),
}

# Not owned by any organisation: the catalog is shared (SPEC), and the description describes every service.
SHARED = {("GET", R + "categories"), ("POST", R + "categories"), ("GET", R + "items"), ("POST", R + "items"),
          ("GET", R + "items/{item_id}"), ("PATCH", R + "items/{item_id}"), ("GET", "/openapi.json")}


def described(world: World) -> dict[tuple[str, str], str]:
    """(method, path) -> service, for every operation each service's /openapi.json describes (and itself)."""
    operations = {}
    for service in SERVICES:
        response = world.admin[service].get("/openapi.json")
        assert response.status_code == 200
        operations[("GET", "/openapi.json")] = service
        for path, methods in response.get_json()["paths"].items():
            for method in methods:
                if method in ("get", "post", "put", "patch", "delete"):
                    operations[(method.upper(), path)] = service
    return operations


def test_every_described_operation_has_a_place_in_the_matrix(world):
    operations = described(world)
    missing = sorted(set(operations) - set(MATRIX) - SHARED)
    assert not missing, f"operations without a scope-matrix entry (add one to MATRIX, or to SHARED): {missing}"
    stale = sorted((set(MATRIX) | SHARED) - set(operations))
    assert not stale, f"matrix entries no service describes any more: {stale}"
    assert not set(MATRIX) & SHARED
    wrong = sorted(key for key, check in MATRIX.items() if check.service != operations[key])
    assert not wrong, f"entries exercising another service than the one describing them: {wrong}"


@pytest.mark.parametrize("operation", sorted(MATRIX), ids=lambda operation: " ".join(operation))
def test_scope_holds_for_every_caller(world, operation, request):
    cells = MATRIX[operation].run(world)
    assert cells > 0
    request.node.user_properties.append(("cells", cells))  # the matrix's size, summed from the JUnit report
