"""A row that may not exist yet, created if missing and locked, safely against a concurrent creator."""
from __future__ import annotations

from typing import Any, Mapping, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

Model = TypeVar("Model")


def lock_or_create(session: Session, model: type[Model], key: Mapping[str, Any],
                   defaults: Mapping[str, Any]) -> Model:
    """The `model` row with primary key `key`, inserted with `defaults` first when missing, locked for update.

    INSERT ... ON CONFLICT DO NOTHING then SELECT ... FOR UPDATE: two workers meeting the same new key
    do not fail on the primary key (PostgreSQL), and each then waits for the other's lock.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**key, **defaults).on_conflict_do_nothing(index_elements=list(key)))
    query = select(model).filter_by(**key).with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)
