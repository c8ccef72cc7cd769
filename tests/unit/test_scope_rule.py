"""The kit's scope rule: subtree reaches every path below the actor's, own only its own, no scope everything;
and the one filter adds it to every ORM read, however the query was written."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import ForeignKey, String, Uuid, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, aliased, mapped_column, sessionmaker

from servicekit import scope
from servicekit.signing import Actor

CITY = Actor(id="c", name="city", role="viewer", org_id="1", org_path="/ROOT/", scope="subtree")
DISTRICT = Actor(id="d", name="district", role="viewer", org_id="2", org_path="/ROOT/PD/", scope="subtree")
ENTERPRISE = Actor(id="e", name="enterprise", role="viewer", org_id="3", org_path="/ROOT/PD/ENT_1/", scope="own")
SERVICE = Actor(id="plans", name="plans", role="service")


@pytest.mark.parametrize("actor, path, reaches", [
    (CITY, "/ROOT/PD/ENT_1/", True), (CITY, "/ROOT/", True),
    (DISTRICT, "/ROOT/PD/", True), (DISTRICT, "/ROOT/PD/ENT_1/", True), (DISTRICT, "/ROOT/PDX/", False),
    (DISTRICT, "/ROOT/", False), (ENTERPRISE, "/ROOT/PD/ENT_1/", True), (ENTERPRISE, "/ROOT/PD/ENT_1/X/", False),
    (ENTERPRISE, "/ROOT/PD/", False), (SERVICE, "/ROOT/XH/", True), (None, "/ROOT/XH/", True),
])
def test_who_reaches_which_organisation(actor, path, reaches):
    assert scope.covers(actor, path) is reaches


def test_a_scope_without_a_path_or_of_an_unknown_kind_reaches_nothing():
    assert not scope.covers(Actor(id="x", name="x", role="viewer", scope="subtree"), "/ROOT/")
    assert not scope.covers(Actor(id="x", name="x", role="viewer", org_path="/ROOT/", scope="all"), "/ROOT/")


class Base(DeclarativeBase):
    pass


class Depot(scope.Owned, Base):
    __tablename__ = "depots"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20))


class Shelf(scope.Owned, Base):
    __tablename__ = "shelves"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    depot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("depots.id"))


class _Database:
    """What `scope.install` needs of the kit's Database: sessions and a way to listen to them."""

    def __init__(self) -> None:
        engine = create_engine("sqlite://")
        Base.metadata.create_all(engine)
        self.maker = sessionmaker(engine)

    def listen(self, name, handler) -> None:
        from sqlalchemy import event

        event.listen(self.maker, name, handler)


@pytest.fixture
def stores():
    database, acting = _Database(), {"actor": None}
    scope.install(database, current=lambda: acting["actor"])
    scope.install(database, current=lambda: acting["actor"])  # installing twice filters once
    with database.maker() as session, session.begin():
        for code, path in (("CITY", "/ROOT/"), ("PD", "/ROOT/PD/"), ("ENT", "/ROOT/PD/ENT_1/"), ("PDX", "/ROOT/PDX/"),
                           ("ENTX", "/ROOT/PD/ENTX1/")):
            depot = Depot(code=code, org_path=path)
            session.add(depot)
            session.flush()
            session.add(Shelf(depot_id=depot.id, org_path=path))
    return database.maker, acting


def codes(session, query=None) -> set[str]:
    return set(session.scalars(query if query is not None else select(Depot.code)))


def test_every_orm_read_is_filtered_by_the_current_actors_scope(stores):
    maker, acting = stores
    everything = {"CITY", "PD", "ENT", "PDX", "ENTX"}
    # ENT_1's subtree must not take "_" for any character (ENTX1): the pattern is escaped.
    enterprise_subtree = Actor(id="e", name="e", role="viewer", org_path="/ROOT/PD/ENT_1/", scope="subtree")
    expected = {None: everything, SERVICE: everything, CITY: everything, DISTRICT: {"PD", "ENT", "ENTX"},
                ENTERPRISE: {"ENT"}, enterprise_subtree: {"ENT"}}
    for actor, seen in expected.items():
        acting["actor"] = actor
        with maker() as session:
            assert codes(session) == seen, actor
            # a join through an alias written without a thought for scope
            other = aliased(Depot)
            joined = select(other.code).select_from(Shelf).join(other, other.id == Shelf.depot_id)
            assert codes(session, joined) == seen, actor
            assert len(session.scalars(select(Shelf)).all()) == len(seen), actor


def test_a_read_marked_system_wide_sees_everything(stores):
    maker, acting = stores
    acting["actor"] = ENTERPRISE
    with maker() as session:
        assert len(codes(session, select(Depot.code).execution_options(**scope.ALL_SCOPES))) == 5


def test_the_rule_as_a_where_clause_for_core_statements(stores):
    maker, _ = stores
    table = Depot.__table__
    with maker() as session:
        query = select(table.c.code).where(scope.criterion(DISTRICT, table.c.org_path))
        assert set(session.scalars(query)) == {"PD", "ENT", "ENTX"}
        assert scope.criterion(SERVICE, table.c.org_path) is None
