"""Fixtures of the resources service's tests: a second item, and the events its outbox holds."""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from servicekit.db import outbox_table


@pytest.fixture
def water(stockroom):
    return stockroom.item(name="瓶装饮用水", unit="箱", category_code="10201", shelf_life_days=365)


@pytest.fixture
def outbox(resources_db):
    """The events written so far, oldest first, as (type, data); the catalog's `item.changed` only when asked
    for by type (the stock stories count their stock events)."""

    def read(event_type: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        query = select(outbox_table.c.event_type, outbox_table.c.envelope).order_by(outbox_table.c.seq)
        if event_type:
            query = query.where(outbox_table.c.event_type == event_type)
        else:
            query = query.where(outbox_table.c.event_type != "item.changed")
        with resources_db.session(readonly=True) as session:
            return [(row.event_type, json.loads(row.envelope)["data"]) for row in session.execute(query)]

    return read
