"""A row that may not exist yet: INSERT ... ON CONFLICT DO NOTHING in either dialect, and create-then-lock."""
from __future__ import annotations

from typing import Any, Mapping, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

Model = TypeVar("Model")

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


def insert_ignore(dialect: str, target: Any, *, keys: list[str]):
    """`INSERT INTO target ... ON CONFLICT (keys) DO NOTHING` for `dialect` ("postgresql" or "sqlite"): the
    one place the two dialects' insert constructs are chosen between. `target` is a model or a Table."""
    return _DIALECTS[dialect].insert(target).on_conflict_do_nothing(index_elements=keys)


def lock_or_create(session: Session, model: type[Model], key: Mapping[str, Any],
                   defaults: Mapping[str, Any]) -> Model:
    """The `model` row with primary key `key`, inserted with `defaults` first when missing, locked for update.

    INSERT ... ON CONFLICT DO NOTHING then SELECT ... FOR UPDATE: two workers meeting the same new key
    do not fail on the primary key (PostgreSQL), and each then waits for the other's lock.
    """
    statement = insert_ignore(session.get_bind().dialect.name, model, keys=list(key))
    session.execute(statement.values(**key, **defaults))
    query = select(model).filter_by(**key).with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)
