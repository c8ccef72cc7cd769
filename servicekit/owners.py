"""Which organisation a new owned record belongs to, how answers name an owner, and rows that take their parent's.

A record belongs to the caller's organisation unless the caller names another in its scope; the path of
another comes from the service's directory copy (org.changed, servicekit/directory_copy.py), so one the copy
has not heard of yet cannot be placed. Each service passes its own directory model (an `OrgCopy`).
"""
from __future__ import annotations

import uuid
from typing import Any, Callable, Iterable, Mapping

from flask import g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.orm import object_session
from sqlalchemy.orm.util import identity_key

from servicekit import scope
from servicekit.errors import InvalidInput, OutsideScope
from servicekit.signing import Actor

Owner = tuple  # (org_id or None, org_path)


def find_org(session, directory, *, org_id: uuid.UUID | None = None, code: str | None = None,
             path: str | None = None):
    """One organisation of the directory copy by id, code or path (None when the copy does not know it)."""
    # The directory copy is not owned: any caller may learn where an organisation sits in the tree.
    column, value = ((directory.id, org_id) if org_id is not None else
                     (directory.code, code) if code is not None else (directory.path, path))
    return session.scalar(select(directory).where(column == value))


def code_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def caller_owner(session, directory, actor: Actor) -> Owner:
    """The caller's own organisation; the root for a caller without one (a service, a test's admin)."""
    if actor.org_path:
        return (uuid.UUID(actor.org_id) if actor.org_id else None), actor.org_path
    root = find_org(session, directory, path=scope.ROOT_PATH)
    return (root.id if root else None), scope.ROOT_PATH


def owner_for_new(data: Mapping[str, Any], *, session, actor: Actor, directory, record: str) -> Owner:
    """The organisation a new `record` ("a depot", "a plan") is for: `org_id`/`org_code` if given and in scope,
    else the caller's.

    403 for an organisation outside the caller's scope; 422 naming the field for one the directory copy does
    not know yet (org.changed has not arrived: a moment later it will have).
    """
    org_id, org_code = data.get("org_id"), data.get("org_code")
    if org_id is None and org_code is None:
        return caller_owner(session, directory, actor)
    field, value = ("org_id", org_id) if org_id is not None else ("org_code", org_code)
    if actor.org_path and (str(org_id) == actor.org_id if org_id is not None else org_code == code_of(actor.org_path)):
        return caller_owner(session, directory, actor)
    found = find_org(session, directory, org_id=org_id, code=None if org_id is not None else org_code)
    if found is None:
        raise InvalidInput({field: [f"Organisation {value} is not known yet; retry in a moment."]})
    if org_id is not None and org_code is not None and found.code != org_code:
        raise InvalidInput({"org_code": [f"Names another organisation than org_id ({found.code})."]})
    if not scope.covers(actor, found.path):
        raise OutsideScope(f"Organisation {found.code} ({found.name}) lies outside your scope "
                           f"({actor.scope} of {actor.org_path}); {record} can be created only for an organisation "
                           "within it.", field=field)
    return found.id, found.path


def common_owner(session, directory, paths: Iterable[str]) -> Owner:
    """The nearest organisation above every one of these paths."""
    split = [path.strip("/").split("/") for path in paths]
    shared = []
    for parts in zip(*split):
        if len(set(parts)) > 1:
            break
        shared.append(parts[0])
    path = "/" + "/".join(shared) + "/" if shared else scope.ROOT_PATH
    found = find_org(session, directory, path=path)
    return (found.id if found else None), path


def references(directory) -> Callable[[Any], dict[str, Any] | None]:
    """A schema function answering `{id, code, name}` of a record's owner: the code from its path (always
    known), the id and name from the directory copy; `name` is null while the copy has not heard of the
    organisation (nor is `id` for the root of rows older than scope whose id the copy did not know)."""

    def org_reference(record: Any) -> dict[str, Any] | None:
        from servicekit.unit_of_work import request_session

        path = getattr(record, "org_path", None)
        if not path:
            return None
        # One page names the same few organisations many times: each is read once per request.
        cache = g.setdefault("erdm_org_references", {}) if has_request_context() else {}
        if path not in cache:
            found = find_org(request_session(), directory, path=path)
            cache[path] = {"id": str(found.id) if found else None, "code": code_of(path),
                           "name": found.name if found else None}
        reference = dict(cache[path])
        if getattr(record, "org_id", None) is not None:
            reference["id"] = str(record.org_id)
        return reference

    return org_reference


def inherit_owner(parent, key: str, children: Iterable[type]) -> None:
    """Rows of `children` written without an owner take the owner of the `parent` row their `key` column names
    (a plan's versions, a drill's findings), so no writer can forget it.

    The parent is taken from the session when it holds it (no SQL inside the flush), else read by its id.
    """
    table = parent.__table__

    def take_parents_owner(_mapper, connection, row) -> None:
        if row.org_path is not None:
            return
        parent_id = getattr(row, key)
        session = object_session(row)
        known = session.identity_map.get(identity_key(parent, parent_id)) if session is not None else None
        if known is not None and known.org_path is not None:
            row.org_id, row.org_path = known.org_id, known.org_path
            return
        found = connection.execute(select(table.c.org_id, table.c.org_path).where(table.c.id == parent_id)).first()
        if found is not None:
            row.org_id, row.org_path = found.org_id, found.org_path

    for child in children:
        event.listen(child, "before_insert", take_parents_owner)


def add_owner_columns(op, sa, tables: Iterable[str]) -> None:
    """A migration's step giving existing rows of these tables an owner: the root organisation, by its path
    "/ROOT/" (the rule reads paths only) and by its id when the directory copy already holds the root
    (else null: answers then name the root by its path)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in tables:
        op.add_column(table, sa.Column("org_id", sa.Uuid(), nullable=True))
        op.add_column(table, sa.Column("org_path", sa.String(length=1000), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET org_path = :root, "
                           "org_id = (SELECT id FROM org_directory WHERE path = :root)")
                   .bindparams(root=scope.ROOT_PATH))
        if postgres:  # SQLite cannot add NOT NULL to a column in place; the model and every writer set it
            op.alter_column(table, "org_path", nullable=False)
        op.create_index(op.f(f"ix_{table}_org_id"), table, ["org_id"], unique=False)
        op.create_index(op.f(f"ix_{table}_org_path"), table, ["org_path"], unique=False)


def drop_owner_columns(op, tables: Iterable[str]) -> None:
    for table in reversed(list(tables)):
        op.drop_index(op.f(f"ix_{table}_org_path"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_org_id"), table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("org_path")
            batch_op.drop_column("org_id")


__all__ = ["Owner", "find_org", "code_of", "caller_owner", "owner_for_new", "common_owner", "references",
           "inherit_owner", "add_owner_columns", "drop_owner_columns"]
