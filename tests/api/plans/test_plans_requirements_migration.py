"""Upgrading a plans database keeps its requirements: the list kept so far goes to the version in force and an
open draft, an earlier version gets the list it was approved with (migration 0002)."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.testing import require_backend
from services.plans.models import Plan, PlanVersion

PLAN, TENTS, PUMPS = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.db'}"
        return
    admin = make_url(require_backend("ERDM_TEST_POSTGRES_URL", "PostgreSQL"))
    name = f"erdm_mig_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _table(name: str, **columns):
    return sa.table(name, *(sa.column(column, type_) for column, type_ in columns.items()))


CONTENT = dict(title=sa.String(), type=sa.String(), hazard_types=sa.JSON(), owner_org=sa.String(), owner=sa.String(),
               response_levels=sa.JSON(), created_at=sa.DateTime(timezone=True), created_by=sa.String(),
               updated_at=sa.DateTime(timezone=True), updated_by=sa.String())
PLANS = _table("plans", id=sa.Uuid(), code=sa.String(), status=sa.String(), version=sa.Integer(),
               draft_version=sa.Integer(), needs_revision=sa.Boolean(), **CONTENT)
VERSIONS = _table("plan_versions", id=sa.Uuid(), plan_id=sa.Uuid(), number=sa.Integer(), status=sa.String(),
                  requirements=sa.JSON(), **CONTENT)
LINES = _table("plan_requirements", plan_id=sa.Uuid(), item_id=sa.Uuid(), quantity=sa.BigInteger(),
               position=sa.Integer())


def _seed_at_0001(url: str) -> None:
    """Plan with version 1 superseded (approved requiring 5 tents), 2 in force and 3 an open draft;
    the one list kept so far (changed in place since): 8 tents and 1.5 pumps."""
    now = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    content = {"title": "防汛预案", "type": "special", "hazard_types": [], "owner_org": "市应急管理局", "owner": "张伟",
               "response_levels": [], "created_at": now, "created_by": "a", "updated_at": now, "updated_by": "a"}
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(PLANS.insert().values(id=PLAN, code="YA-M", status="approved", version=2, draft_version=3,
                                                 needs_revision=False, **content))
        for number, status, snapshot in ((1, "superseded", [{"item_id": str(TENTS), "quantity": 5}]),
                                         (2, "approved", [{"item_id": str(TENTS), "quantity": 6}]),
                                         (3, "draft", None)):
            connection.execute(VERSIONS.insert().values(id=uuid.uuid4(), plan_id=PLAN, number=number, status=status,
                                                        requirements=snapshot, **content))
        for position, (item, thousandths) in enumerate(((TENTS, 8000), (PUMPS, 1500))):
            connection.execute(LINES.insert().values(plan_id=PLAN, item_id=item, quantity=thousandths,
                                                     position=position))
    engine.dispose()


def test_upgrading_moves_requirements_onto_their_versions(blank_url):
    upgrade("services.plans", blank_url, "0001")
    _seed_at_0001(blank_url)
    upgrade("services.plans", blank_url)
    database = Database(blank_url)
    try:
        with database.session(readonly=True) as session:
            plan = session.get(Plan, PLAN)
            kept = [(line.item_id, float(line.quantity)) for line in plan.requirements]
            by_version = {v.number: [(line.item_id, float(line.quantity)) for line in v.requirements]
                          for v in session.query(PlanVersion).filter_by(plan_id=PLAN)}
    finally:
        database.dispose()
    assert kept == [(TENTS, 8.0), (PUMPS, 1.5)]
    assert by_version == {1: [(TENTS, 5.0)], 2: kept, 3: kept}
