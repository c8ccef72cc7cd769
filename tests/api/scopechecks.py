"""How the scope matrix exercises one operation for every caller: lists, by-id reads, refused writes and creates,
stock writes naming a foreign depot, lists filtered by one; each check answers how many cells it asserted."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from scopeworld import CALLERS, ORG_IDS, OWNERS, PATHS, REQUISITION_SUPPLIERS, SEES, World, actor
from servicekit.scope import covers

API = "/api/v1"


def outside(caller: str) -> list[str]:
    return [owner for owner in OWNERS if owner not in SEES[caller]]


def fill(template: str, record_id: str) -> str:
    """The path template with its one record id (and version 1) filled in, the API prefix taken off."""
    head, _, rest = template[len(API):].partition("{")
    return head + record_id + rest.partition("}")[2].replace("{number}", "1")


def query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def items(body) -> list:
    return body["items"] if isinstance(body, dict) else body


@dataclass(frozen=True)
class Check:
    """How one operation is exercised for every caller; `run` answers how many cells it checked."""

    service: str
    run: Callable[[World], int]


def listed(service: str, template: str, kinds: tuple[str, ...], field: str = "id", **params) -> Check:
    """Each caller lists exactly the records of `kinds` in its scope."""

    def run(world: World) -> int:
        for caller in CALLERS:
            body = world.json(service, caller, "get", query(template[len(API):], per_page=500, **params))
            wanted = set().union(*(world.ids(kind, SEES[caller]) for kind in kinds))
            assert {row[field] for row in items(body)} == wanted, (caller, template)
        return len(CALLERS)

    return Check(service, run)


def read(service: str, template: str, kind: str) -> Check:
    """Every caller reads every organisation's record: 200 inside the scope, 404 outside."""

    def run(world: World) -> int:
        for caller in CALLERS:
            for owner in OWNERS:
                response = world.call(service, caller, "get", fill(template, world.records[kind][owner]),
                                      200 if owner in SEES[caller] else 404)
                assert owner in SEES[caller] or response.mimetype == "application/problem+json"
        return len(CALLERS) * len(OWNERS)

    return Check(service, run)


def unchanged(world: World, service: str, attempts: Callable[[], int]) -> int:
    """Run refused `attempts`; the service's database holds exactly what it held before."""
    before = world.snapshot(service)
    cells = attempts()
    after = world.snapshot(service)
    assert after == before, [table for table in before if after[table] != before[table]]
    return cells


def write(service: str, method: str, template: str, kind: str, body=None) -> Check:
    """A write on a record outside the caller's scope: 404, and nothing changes."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                for owner in outside(caller):
                    payload = body(world) if callable(body) else body
                    world.call(service, caller, method, fill(template, world.records[kind][owner]), 404,
                               json=payload if payload is not None else {})
                    cells += 1
            return cells

        return unchanged(world, service, attempts)

    return Check(service, run)


def create_outside(service: str, template: str, body: Callable[[str], dict]) -> Check:
    """Creating a record for an organisation outside the caller's scope (by id, by code): 403, nothing made."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                for code, path in PATHS.items():
                    if covers(actor(caller), path):
                        continue
                    for naming in ({"org_id": str(ORG_IDS[code])}, {"org_code": code}):
                        refused = world.json(service, caller, "post", template[len(API):], 403,
                                             json={**body(f"X-{caller}-{code}"), **naming})
                        assert "outside your scope" in refused["detail"]
                        cells += 1
            return cells

        return unchanged(world, service, attempts)

    return Check(service, run)


def foreign_depot(method: str, template: str, bodies: Callable[[World, str, str], list[dict]],
                  status: int = 404) -> Check:
    """A stock write naming a depot outside the caller's scope (`bodies(world, caller, foreign depot id)`):
    as if the depot did not exist, and nothing changes."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                for owner in outside(caller):
                    for body in bodies(world, caller, world.records["depot"][owner]):
                        world.call("resources", caller, method, template[len(API):], status, json=body)
                        cells += 1
            return cells

        return unchanged(world, "resources", attempts)

    return Check("resources", run)


def both(*checks: Check) -> Check:
    return Check(checks[0].service, lambda world: sum(check.run(world) for check in checks))


def filtered_by_foreign_depot(template: str) -> Check:
    """A list filtered by a depot outside the scope is empty (not that depot's rows)."""

    def run(world: World) -> int:
        cells = 0
        for caller in CALLERS:
            for owner in outside(caller):
                depot = world.records["depot"][owner]
                assert items(world.json("resources", caller, "get", query(template[len(API):],
                                                                          warehouse_id=depot))) == [], (caller, owner)
                cells += 1
        return cells

    return Check("resources", run)


# --- requisitions: seen by the requesting and the supplying organisation both ---------------------------
def sees_requisition(caller: str, owner: str) -> bool:
    """Whether `caller` reaches `owner`'s requisition: by its own path or by its supplier's."""
    return covers(actor(caller), CALLERS[owner][1]) or covers(actor(caller), PATHS[REQUISITION_SUPPLIERS[owner]])


def requisitions_listed(template: str) -> Check:
    def run(world: World) -> int:
        for caller in CALLERS:
            body = world.json("resources", caller, "get", query(template[len(API):], per_page=500))
            wanted = {world.records["requisition"][owner] for owner in OWNERS if sees_requisition(caller, owner)}
            assert {row["id"] for row in items(body)} == wanted, caller
        return len(CALLERS)

    return Check("resources", run)


def requisition_read(template: str) -> Check:
    def run(world: World) -> int:
        for caller in CALLERS:
            for owner in OWNERS:
                world.call("resources", caller, "get", fill(template, world.records["requisition"][owner]),
                           200 if sees_requisition(caller, owner) else 404)
        return len(CALLERS) * len(OWNERS)

    return Check("resources", run)


def requisition_step(template: str, body: Callable[[World], dict]) -> Check:
    """A step on a requisition neither of whose organisations the caller reaches: 404, and nothing changes."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                for owner in OWNERS:
                    if not sees_requisition(caller, owner):
                        world.call("resources", caller, "post", fill(template, world.records["requisition"][owner]),
                                   404, json=body(world))
                        cells += 1
            return cells

        return unchanged(world, "resources", attempts)

    return Check("resources", run)


def requisition_from_foreign_depot(template: str) -> Check:
    """A requisition naming a depot that is not its supplier's own (another organisation's, seen or not): 422, the
    same for every such depot, and nothing is made."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                supplier = REQUISITION_SUPPLIERS.get(caller, "ROOT")
                for owner in OWNERS:
                    if CALLERS[owner][0] == supplier:
                        continue
                    refused = world.json("resources", caller, "post", template[len(API):], 422, json={
                        "purpose": "emergency", "destination": "越权", "needed_by": "2099-01-01",
                        "supplying_org_code": supplier, "lines": [{
                            "item_id": world.records["item"]["tents"], "quantity": 1,
                            "warehouse_id": world.records["depot"][owner]}]})
                    assert refused["errors"]["lines"]["0"]["warehouse_id"] == [
                        f"Not an active depot of {supplier} ({supplier} 单位)."], refused
                    cells += 1
            return cells

        return unchanged(world, "resources", attempts)

    return Check("resources", run)


def _pdf(name: str) -> dict:
    return {"data": {"file": (io.BytesIO(b"%PDF-1.4 scope"), name)}, "content_type": "multipart/form-data"}


def uploaded_outside(service: str, template: str, kind: str) -> Check:
    """A file sent to a record outside the caller's scope: 404, and nothing kept."""

    def run(world: World) -> int:
        def attempts() -> int:
            cells = 0
            for caller in CALLERS:
                for owner in outside(caller):
                    world.call(service, caller, "post", fill(template, world.records[kind][owner]), 404,
                               **_pdf("越权.pdf"))
                    cells += 1
            return cells

        return unchanged(world, service, attempts)

    return Check(service, run)


def attachment_content(service: str, template: str, kind: str) -> Check:
    """Each owner attaches a file to its record; every caller reads its bytes inside the scope, 404 outside."""

    def run(world: World) -> int:
        cells = 0
        for owner in OWNERS:
            kept = world.json(service, owner, "post", fill(template, world.records[kind][owner]), 201,
                              **_pdf(f"{owner}.pdf"))
            for caller in CALLERS:
                world.call(service, caller, "get", kept["content_url"].removeprefix(API),
                           200 if owner in SEES[caller] else 404)
                cells += 1
        return cells

    return Check(service, run)
