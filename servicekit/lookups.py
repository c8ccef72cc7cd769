"""Fetching one row by id for a request: 404 (NotFound) when it is not there, optionally locked for an update."""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from servicekit.errors import NotFound

Model = TypeVar("Model")


def one(session: Session, model: type[Model], key: Any, *, name: str, for_update: bool = False) -> Model:
    """The `model` row with primary key `key`; with `for_update`, locked and re-read from the database."""
    row = session.get(model, key, with_for_update=for_update or None, populate_existing=for_update)
    if row is None:
        raise NotFound(f"No {name} {key}.")
    return row
