"""The copy of the gateway's organisation directory that every service keeps from `org.changed`, for scope and heads.

The gateway owns the organisations; services never ask it per request. Each `org.changed` carries one
organisation whole (code, name, kind, path from the root, parent, district, industries, its head and
deputies in charge, active) with the gateway's `updated_at`; a service keeps the newest per organisation,
so an event arriving late or twice changes nothing. What is kept beside the tree (district, industries,
principal, deputies) is what supervision's orders and warnings name and select by.

The payload is taken by its attributes (`contracts.events.OrgChanged` has them): the kit imports no contract.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, String, Uuid, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from servicekit.db import UtcDateTime
from servicekit.rows import insert_ignore


class OrgCopy:
    """Columns of a service's `org_directory` table (declare `class OrgDirectory(OrgCopy, Base)`)."""

    __tablename__ = "org_directory"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    # Codes from the root (`/ROOT/PD/ENT-001/`): a subtree is every path starting with its root's.
    path: Mapped[str] = mapped_column(String(1000), index=True)
    # No foreign key: a child's event may arrive before its parent's.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    district: Mapped[str | None] = mapped_column(String(100))
    industries: Mapped[list[str]] = mapped_column(JSON)
    principal: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {name, title}
    deputies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{name, title}]
    active: Mapped[bool] = mapped_column(Boolean)
    # The organisation's updated_at in the gateway: a snapshot older than the one kept loses.
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def _person(person: Any) -> dict[str, Any] | None:
    return None if person is None else {"name": person.name, "title": person.title}


def values_of(org: Any) -> dict[str, Any]:
    """The columns (but the id) an `org.changed` payload fills."""
    return {"code": org.code, "name": org.name, "kind": org.kind, "path": org.path, "parent_id": org.parent_id,
            "district": org.district, "industries": list(org.industries), "principal": _person(org.principal),
            "deputies": [_person(deputy) for deputy in org.deputies], "active": org.active,
            "changed_at": org.updated_at}


def remember(session: Session, model: type, org: Any) -> bool:
    """Keep `org` (an `org.changed` payload) unless the copy already holds it or a newer one; True if applied."""
    values = values_of(org)
    # On the table, with RETURNING: an ORM-enabled INSERT reports no usable rowcount on PostgreSQL, and
    # RETURNING answers a row only when one was made (nothing on a conflict), in both dialects.
    table = model.__table__
    created = session.execute(insert_ignore(session.get_bind().dialect.name, table, keys=["id"])
                              .values(id=org.org_id, **values).returning(table.c.id)).first()
    if created is not None:
        return True
    # Locked, so two workers handling two changes of one organisation apply them one after the other.
    row = session.scalar(select(model).where(model.id == org.org_id).with_for_update()
                         .execution_options(populate_existing=True))
    if row.changed_at >= org.updated_at:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    return True


def create_table(op, sa) -> None:
    """The migration step creating a service's `org_directory` (every service runs the same one)."""
    op.create_table('org_directory',
                    sa.Column('id', sa.Uuid(), nullable=False),
                    sa.Column('code', sa.String(length=64), nullable=False),
                    sa.Column('name', sa.String(length=200), nullable=False),
                    sa.Column('kind', sa.String(length=32), nullable=False),
                    sa.Column('path', sa.String(length=1000), nullable=False),
                    sa.Column('parent_id', sa.Uuid(), nullable=True),
                    sa.Column('district', sa.String(length=100), nullable=True),
                    sa.Column('industries', sa.JSON(), nullable=False),
                    sa.Column('principal', sa.JSON(), nullable=True),
                    sa.Column('deputies', sa.JSON(), nullable=False),
                    sa.Column('active', sa.Boolean(), nullable=False),
                    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_directory')))
    op.create_index(op.f('ix_org_directory_code'), 'org_directory', ['code'], unique=False)
    op.create_index(op.f('ix_org_directory_path'), 'org_directory', ['path'], unique=False)


def drop_table(op) -> None:
    op.drop_index(op.f('ix_org_directory_path'), table_name='org_directory')
    op.drop_index(op.f('ix_org_directory_code'), table_name='org_directory')
    op.drop_table('org_directory')
