"""Fixtures for the resources API stories: a client-backed Stockroom, a depot, items, the outbox."""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from servicekit.db import outbox_table
from stockroom import Stockroom


@pytest.fixture
def stockroom(client) -> Stockroom:
    return Stockroom(client)


@pytest.fixture
def depot(stockroom):
    return stockroom.warehouse()


@pytest.fixture
def tents(stockroom):
    return stockroom.item(name="救灾帐篷", unit="顶", category_code="10401")


@pytest.fixture
def water(stockroom):
    return stockroom.item(name="瓶装饮用水", unit="箱", category_code="10201", shelf_life_days=365)


@pytest.fixture
def outbox(resources_db):
    """The events written so far, oldest first, as (type, data)."""

    def read(event_type: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        query = select(outbox_table.c.event_type, outbox_table.c.envelope).order_by(outbox_table.c.seq)
        if event_type:
            query = query.where(outbox_table.c.event_type == event_type)
        with resources_db.session(readonly=True) as session:
            return [(row.event_type, json.loads(row.envelope)["data"]) for row in session.execute(query)]

    return read
