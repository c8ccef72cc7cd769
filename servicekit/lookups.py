"""Finding records for a request: one row by id (404 when absent), an id by its code, a record's name by its id."""
from __future__ import annotations

import uuid
from typing import Any, Callable, Iterable, Mapping, TypeVar

from flask import g, has_request_context
from sqlalchemy.orm import Session

from servicekit.errors import NotFound

Model = TypeVar("Model")

# code -> the id of the record carrying it, or None (read through a session of the service's own database).
CodeLookup = Callable[[Session, str], "uuid.UUID | None"]
# id -> the record's reference ({id, code, name}, + unit for items), or None when it is not known here.
ReferenceLookup = Callable[[Session, uuid.UUID], "Mapping[str, Any] | None"]


def one(session: Session, model: type[Model], key: Any, *, name: str, for_update: bool = False) -> Model:
    """The `model` row with primary key `key`; with `for_update`, locked and re-read from the database."""
    row = session.get(model, key, with_for_update=for_update or None, populate_existing=for_update)
    if row is None:
        raise NotFound(f"No {name} {key}.")
    return row


def _request_cache(name: str) -> dict:
    """A per-request memo: one page names the same depot or item many times, and each is read once."""
    if not has_request_context():
        return {}
    cache = g.get(name)
    if cache is None:
        cache = {}
        setattr(g, name, cache)
    return cache


def id_for_code(lookup: CodeLookup, code: str) -> uuid.UUID | None:
    """The id `lookup` finds for `code`, read on a short read-only session of the request's database.

    Runs while the request body is validated, before the view opens its (write) transaction.
    """
    from servicekit.unit_of_work import current_database

    cache = _request_cache("erdm_code_ids")
    key = (lookup, code)
    if key not in cache:
        with current_database().session(readonly=True) as session:
            cache[key] = lookup(session, code)
    return cache[key]


def reference_for(lookup: ReferenceLookup, key: Any) -> dict[str, Any] | None:
    """`{id, code, name, ...}` of the record with id `key` as `lookup` reads it on the request's session;
    a record the service does not know (yet) answers its id with null names."""
    from servicekit.unit_of_work import request_session

    if key is None:
        return None
    try:
        record_id = key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))
    except ValueError:
        return {"id": str(key), "code": None, "name": None}
    cache = _request_cache("erdm_references")
    cache_key = (lookup, record_id)
    if cache_key not in cache:
        found = lookup(request_session(), record_id)
        cache[cache_key] = {"id": record_id, "code": None, "name": None, **(found or {})}
    return cache[cache_key]


def prime_references(lookup: ReferenceLookup, references: Iterable[Mapping[str, Any]]) -> None:
    """Remember references read in bulk (one statement for a whole page), so `reference_for` answers each
    row's from memory instead of reading the rows one by one."""
    cache = _request_cache("erdm_references")
    for reference in references:
        cache[(lookup, reference["id"])] = {"code": None, "name": None, **reference}
