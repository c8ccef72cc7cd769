"""The scope matrix's world: four organisations' callers at the three services (in-process, signed), each owning a
depot with stock, plans and drills made by its own people, the directory and events carried as the workers would.

The city bureau (/ROOT/, subtree) sees everything; the district (/ROOT/PD/, subtree) itself and its enterprise
(/ROOT/PD/ENT-1/, own); each enterprise (that one, and /ROOT/MH/ENT-2/ under a second district) only itself; a
desk of the district with scope own only the district's own records, not its enterprise's.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import inspect as sa_inspect, select, text

from contracts.catalogue import GATEWAY
from servicekit import inbox
from servicekit.config import Settings
from servicekit.db import Database, outbox_table
from servicekit.events import Event, new_event
from servicekit.signing import Actor
from servicekit.testing import ADMIN, TEST_SECRET, database_factory, signed_client
from stockroom import in_days
from tests.flows.directory import enterprise

SERVICES = ("resources", "plans", "drills")
CALLERS = {  # caller -> (code, path, scope, kind)
    "city": ("ROOT", "/ROOT/", "subtree", "bureau"),
    "district": ("PD", "/ROOT/PD/", "subtree", "bureau"),
    "ent1": ("ENT-1", "/ROOT/PD/ENT-1/", "own", "enterprise"),
    "ent2": ("ENT-2", "/ROOT/MH/ENT-2/", "own", "enterprise"),
    # The district's own desk (scope own): it owns nothing of its own here, and sees the district's records only.
    "district_own": ("PD", "/ROOT/PD/", "own", "bureau"),
}
OWNERS = ("city", "district", "ent1", "ent2")  # the callers whose records the world holds
SEES = {"city": {"city", "district", "ent1", "ent2"}, "district": {"district", "ent1"}, "ent1": {"ent1"},
        "ent2": {"ent2"}, "district_own": {"district"}}
ORG_IDS = {code: uuid.uuid4() for code in ("ROOT", "PD", "ENT-1", "MH", "ENT-2")}
PATHS = {"ROOT": "/ROOT/", "PD": "/ROOT/PD/", "ENT-1": "/ROOT/PD/ENT-1/", "MH": "/ROOT/MH/",
         "ENT-2": "/ROOT/MH/ENT-2/"}
# Whom each owner's requisition asks: its parent, and the city asks the district (a requisition is seen by both).
REQUISITION_SUPPLIERS = {"city": "PD", "district": "ROOT", "ent1": "PD", "ent2": "MH"}
RECEIVED, RESERVED, REQUIRED = 10, 2, 100  # tents per depot; a plan requires more than all depots hold
# Rows every signed request writes whatever it asks (replay protection), not data a caller changes.
NOT_DATA = {"signature_nonces"}


def actor(caller: str) -> Actor:
    code, path, scope, _ = CALLERS[caller]
    return Actor(id=f"user-{caller}", name=f"{code} 值班员", role="admin", org_id=str(ORG_IDS[code]), org_path=path,
                 scope=scope)


def org_changes():
    """org.changed of the five organisations, parents first."""
    for code, path in PATHS.items():
        parent = path.rstrip("/").rsplit("/", 1)[0].rsplit("/", 1)[-1]
        yield enterprise(org_id=ORG_IDS[code], code=code, name=f"{code} 单位", path=path,
                         kind="enterprise" if code.startswith("ENT") else "bureau",
                         parent_id=ORG_IDS.get(parent) if code != "ROOT" else None, industries=[])


def handlers(service: str) -> dict[str, Any]:
    if service == "resources":
        from services.resources.handlers import ResourceHandlers

        return ResourceHandlers(timezone="Asia/Shanghai").mapping()
    if service == "plans":
        from services.plans.domain.workdays import WorkCalendar
        from services.plans.handlers import PlanHandlers

        return PlanHandlers(work_calendar=WorkCalendar()).mapping()
    from services.drills.handlers import mapping

    return mapping()


def create_app(service: str, settings: Settings, database: Database):
    import importlib

    extra: dict[str, Any] = {}
    if service == "plans":
        from services.plans.domain.workdays import WorkCalendar

        extra["work_calendar"] = WorkCalendar()
    if service == "drills":
        extra["plan_lookup"] = lambda plan_id: None  # plans are known from plan.approved, as delivered here
    app = importlib.import_module(f"services.{service}.app").create_app(
        settings, database=database, required_processes=(), **extra)
    app.config["TESTING"] = True
    return app


class World:
    """The three apps and databases, a signed client per caller and service, and the records each caller owns:
    `records[kind][caller]` is an id (`depot_codes[caller]` the depot's code)."""

    def __init__(self, backend: str, config, tmp_path_factory) -> None:
        fresh = database_factory(backend, config, tmp_path_factory)
        data_dir = tmp_path_factory.mktemp("matrix")
        settings = Settings(internal_secret=TEST_SECRET, data_dir=data_dir,
                            broker_url=f"filesystem://{data_dir / 'broker'}")
        self.databases = {service: Database(fresh(f"services.{service}")) for service in SERVICES}
        self.apps = {service: create_app(service, settings, self.databases[service]) for service in SERVICES}
        self.clients = {service: {caller: signed_client(self.apps[service], actor=actor(caller)) for caller in CALLERS}
                        for service in SERVICES}
        self.admin = {service: signed_client(self.apps[service], actor=ADMIN) for service in SERVICES}
        self.records: dict[str, dict[str, str]] = {}
        self.depot_codes: dict[str, str] = {}

    # --- calls --------------------------------------------------------------------------------
    def call(self, service: str, caller: str, method: str, path: str, status: int, **kwargs):
        response = getattr(self.clients[service][caller], method.lower())("/api/v1" + path, **kwargs)
        assert response.status_code == status, (caller, method, path, response.status_code,
                                                response.get_data(as_text=True)[:500])
        return response

    def json(self, service: str, caller: str, method: str, path: str, status: int = 200, **kwargs):
        return self.call(service, caller, method, path, status, **kwargs).get_json()

    def keep(self, kind: str, caller: str, record_id: str) -> str:
        self.records.setdefault(kind, {})[caller] = record_id
        return record_id

    def ids(self, kind: str, callers) -> set[str]:
        return {self.records[kind][caller] for caller in callers}

    # --- events, as each service's worker applies them ----------------------------------------
    def deliver(self, service: str, event: Event) -> None:
        mapping = handlers(service)
        if event.type not in mapping:
            return
        with self.databases[service].transaction() as session:
            if not inbox.already_applied(session, event, consumer=f"{service}-worker"):
                mapping[event.type](event, session=session)
                inbox.record(session, event, consumer=f"{service}-worker")

    def forward(self, source: str, target: str) -> None:
        """Every event `source` wrote so far, to `target`'s worker (those it consumes; repeats change nothing)."""
        with self.databases[source].session(readonly=True) as session:
            envelopes = [json.loads(row) for row in session.scalars(
                select(outbox_table.c.envelope).order_by(outbox_table.c.seq))]
        for envelope in envelopes:
            self.deliver(target, Event.from_envelope(envelope))

    # --- what a write may not change ----------------------------------------------------------
    def snapshot(self, service: str) -> dict[str, list]:
        """Every row of every table of the service's database (the replay-protection nonces aside)."""
        database = self.databases[service]
        with database.engine.connect() as connection:
            tables = sorted(set(sa_inspect(connection).get_table_names()) - NOT_DATA)
            return {table: sorted(map(repr, connection.execute(text(f'SELECT * FROM "{table}"')).all()))
                    for table in tables}

    def dispose(self) -> None:
        for database in self.databases.values():
            database.dispose()


def build(world: World) -> World:
    """The directory in every service, then each caller's records, made by that caller."""
    for change in org_changes():
        event = new_event(change, source=GATEWAY)
        for service in SERVICES:
            world.deliver(service, event)
    tents, radio = _catalog(world)
    for caller in OWNERS:
        _stock(world, caller, tents, radio)
    world.forward("resources", "plans")  # items and stock positions: the plans' readiness
    world.forward("resources", "drills")
    for caller in OWNERS:
        _plans(world, caller, tents)
    world.forward("plans", "drills")  # plan.approved: the drills service may schedule drills of them
    for caller in OWNERS:
        _drills(world, caller)
    return world


def _catalog(world: World) -> tuple[str, str]:
    """Items are shared: the city registers the two every depot holds."""
    tents = world.json("resources", "city", "post", "/items", 201, json={
        "code": "IT-TENT", "name": "救灾帐篷", "category_code": "10401", "unit": "顶", "kind": "material",
        "shelf_life_days": 20})
    radio = world.json("resources", "city", "post", "/items", 201, json={
        "code": "IT-RADIO", "name": "对讲机", "category_code": "2", "unit": "台", "kind": "equipment",
        "inspection_interval_days": 10})
    world.keep("item", "tents", tents["id"])
    world.keep("item", "radio", radio["id"])
    return tents["id"], radio["id"]


def _stock(world: World, caller: str, tents: str, radio: str) -> None:
    """A depot with tents in one lot (expiring soon, below its quota), a reservation and an inspected radio."""
    call = world.json
    depot = call("resources", caller, "post", "/warehouses", 201, json={
        "code": f"WH-{caller.upper()}", "name": f"{caller} 储备库", "level": "municipal", "lat": 31.2, "lon": 121.5})
    world.keep("depot", caller, depot["id"])
    world.depot_codes[caller] = depot["code"]
    received = call("resources", caller, "post", "/stock/receipts", 201, json={
        "warehouse_id": depot["id"], "item_id": tents, "quantity": RECEIVED, "batch_no": f"B-{caller}",
        "expiry_date": in_days(5)})
    world.keep("movement", caller, received["movement_id"])
    world.keep("lot", caller, received["lot_id"])
    call("resources", caller, "put", "/quotas", 200, json={"warehouse_id": depot["id"], "item_id": tents,
                                                             "min_quantity": 50})
    held = call("resources", caller, "post", "/reservations", 201, json={
        "reference": f"ops:{caller}", "lines": [{"item_id": tents, "quantity": RESERVED,
                                                  "warehouse_id": depot["id"]}]})
    world.keep("reservation", caller, held["id"])
    unit = call("resources", caller, "post", "/equipment", 201, json={
        "warehouse_id": depot["id"], "item_id": radio, "serial_no": f"SN-{caller}"})
    world.keep("unit", caller, unit["id"])
    call("resources", caller, "post", f"/equipment/{unit['id']}/inspections", 201, json={
        "result": "pass", "inspector": "王工",
        "inspected_at": (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=8)).isoformat()})
    asked = call("resources", caller, "post", "/requisitions", 201, json={
        "purpose": "emergency", "destination": f"{caller} 安置点", "needed_by": in_days(3),
        "supplying_org_code": REQUISITION_SUPPLIERS[caller], "lines": [{"item_id": tents, "quantity": 1}]})
    world.keep("requisition", caller, asked["id"])


def _plans(world: World, caller: str, tents: str) -> None:
    """An approved plan requiring tents, filed; a draft; one in review."""

    def plan(kind: str) -> str:
        made = world.json("plans", caller, "post", "/plans", 201, json={
            "code": f"YA-{caller}-{kind}", "title": f"{caller} 防汛预案 ({kind})", "type": "special",
            "owner_org": CALLERS[caller][0], "owner": "张伟"})
        return world.keep(f"plan_{kind}", caller, made["id"])

    approved, draft, review = plan("approved"), plan("draft"), plan("review")
    world.json("plans", caller, "put", f"/plans/{approved}/requirements",
               json={"lines": [{"item_id": tents, "quantity": REQUIRED}]})
    for plan_id in (approved, review):
        world.json("plans", caller, "post", f"/plans/{plan_id}/submit")
    world.json("plans", caller, "post", f"/plans/{approved}/approve", json={"approved_by": "王局长"})
    world.json("plans", caller, "post", f"/plans/{approved}/filings", 201, json={
        "authority": "市应急管理局", "reference_no": f"备-{caller}", "filed_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    assert draft


SCORES = {"plan_suitability": 4, "preparation": 4, "command_coordination": 3, "response_actions": 4,
          "equipment_materials": 4}


def _drills(world: World, caller: str) -> None:
    """Drills of the approved plan: one ready, one running, one completed, one evaluated with two findings
    (one corrective action open, one done)."""
    plan_id = world.records["plan_approved"][caller]

    def drill(kind: str, days: int) -> str:
        start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)
        made = world.json("drills", caller, "post", "/drills", 201, json={
            "plan_id": plan_id, "title": f"{caller} 演练 ({kind})", "form": "tabletop", "scope": "single",
            "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=3)).isoformat()})
        return world.keep(f"drill_{kind}", caller, made["id"])

    def step(drill_id: str, action: str, body: dict | None = None, status: int = 200):
        return world.json("drills", caller, "post", f"/drills/{drill_id}/{action}", status, json=body or {})

    completion = {"consumed": [], "participants_count": 12, "summary": "按方案完成"}
    ready, running, finished, evaluated = drill("ready", 7), drill("running", 5), drill("finished", 3), \
        drill("evaluated", 2)
    for drill_id in (running, finished, evaluated):
        step(drill_id, "start")
    actions = []
    for n in (1, 2):
        finding = step(evaluated, "findings", {"description": f"发现 {n}", "severity": "medium", "corrective_action": {
            "owner": "保障组", "due_date": in_days(30), "description": "整改"}}, 201)
        actions.append(finding["corrective_action"]["id"])
    world.keep("finding", caller, finding["id"])
    for drill_id in (finished, evaluated):
        step(drill_id, "complete", completion)
    step(evaluated, "evaluation", {"scores": SCORES, "rating": "good", "evaluator": "专家组"}, 201)
    world.keep("action_open", caller, actions[0])
    world.keep("action_done", caller, actions[1])
    world.json("drills", caller, "post", f"/corrective-actions/{actions[1]}/complete", json={})
    assert ready


__all__ = ["World", "build", "CALLERS", "OWNERS", "SEES", "SERVICES", "RECEIVED", "RESERVED", "REQUIRED", "actor"]
