"""Fixtures of the requisition tests: a city bureau whose two depots hold life jackets and pumps, a district that
asks it for them, another district that sees none of it, and the ledger checked to balance after every test."""
from __future__ import annotations

import pytest

import orgtree
from requisitioning import desk
from services.resources.models import OrgDirectory
from stockroom import Stockroom, in_days


@pytest.fixture
def directory(resources_db):
    return orgtree.seed_directory(resources_db, OrgDirectory)


@pytest.fixture
def city(resources_app, directory) -> Stockroom:
    return desk(resources_app, "ROOT")


@pytest.fixture
def district(resources_app, directory) -> Stockroom:
    return desk(resources_app, "PD")


@pytest.fixture
def xuhui(resources_app, directory) -> Stockroom:
    return desk(resources_app, "XH")


@pytest.fixture(autouse=True)
def ledger_balances_after_each_test(city):
    """Whatever a test did, every depot's ledger sums to its balance when it ends (the city sees every depot)."""
    yield
    city.ledger_matches_balances()


@pytest.fixture
def stores(city, district):
    """The city's two depots: jackets in three batches (A expires first, then C, then B) and pumps; the district's
    own depot with jackets expiring before all of them (a requisition never draws from the requester's)."""
    jackets = city.item(name="救生衣", unit="件", category_code="10401")
    pumps = city.item(name="排水泵", unit="台", category_code="10401")
    north = city.warehouse(name="市北应急物资储备库")
    south = city.warehouse(name="市南应急物资储备库")
    own = district.warehouse(name="浦东区级储备库", level="county")
    city.receive(north, jackets, 120, batch_no="A", expiry_date=in_days(30))
    city.receive(north, jackets, 100, batch_no="B", expiry_date=in_days(200))
    city.receive(south, jackets, 100, batch_no="C", expiry_date=in_days(60))
    city.receive(south, pumps, 25, batch_no="P")
    district.receive(own, jackets, 10, batch_no="PD", expiry_date=in_days(5))
    return {"jackets": jackets, "pumps": pumps, "north": north, "south": south, "own": own}
