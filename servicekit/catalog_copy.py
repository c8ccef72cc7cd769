"""The small copy of the resources catalog that plans and drills keep from events, to name items and take codes.

The resources service owns the catalog; other services never read its tables nor ask it per
request. Every event that names an item carries a snapshot `{id, code, name, unit, updated_at}`
(`item.changed` on create and patch, and inside stock.changed / reservation.* lines), parsed by the
consumer's handler table into an `ItemSnapshot` (contracts/events/parts.py); a consumer keeps the
newest snapshot per item, so events arriving late or twice change nothing.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable

from sqlalchemy import String, Uuid, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from contracts.events import ItemSnapshot
from servicekit.db import UtcDateTime
from servicekit.lookups import prime_references
from servicekit.rows import insert_ignore


EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)


class CatalogItemCopy:
    """Columns of a service's `catalog_items` table (declare `class CatalogItem(CatalogItemCopy, Base)`)."""

    __tablename__ = "catalog_items"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    # The item's updated_at in the resources service: a snapshot older than the one kept loses.
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def snapshot(item: Any) -> dict[str, Any]:
    """What an event says of an item (a resources `Item` row)."""
    return {"id": item.id, "code": item.code, "name": item.name, "unit": item.unit, "updated_at": item.updated_at}


def remember(session: Session, model: type, item: ItemSnapshot | None) -> bool:
    """Keep `item` (a snapshot from an event) unless the copy already holds one as new; True if applied."""
    if item is None or not item.code:
        return False
    # A snapshot without `updated_at` (a 409's shortfall line) only fills a gap, never overwrites.
    changed_at = item.updated_at or EARLIEST
    values = {"code": item.code, "name": item.name or item.code, "unit": item.unit, "changed_at": changed_at}
    session.execute(insert_ignore(session.get_bind().dialect.name, model, keys=["id"]).values(id=item.id, **values))
    row = session.scalar(select(model).where(model.id == item.id).with_for_update()
                         .execution_options(populate_existing=True))
    if row.changed_at > changed_at or (changed_at == EARLIEST and row.changed_at > EARLIEST):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    return True


def remember_lines(session: Session, model: type, lines: Iterable[Any]) -> None:
    """Keep the `item` snapshot of every line that carries one (stock, allocation and shortfall lines)."""
    for line in lines:
        remember(session, model, line.item)


def lookups(model: type):
    """(code -> id, id -> reference, prime) over the copy: the first two for servicekit.schemas' `id_or_code`
    and `Reference`; `prime(session, ids)` reads a page's items in one statement before it is answered."""

    def id_for_code(session: Session, code: str) -> uuid.UUID | None:
        return session.scalar(select(model.id).where(model.code == code).order_by(model.changed_at.desc()).limit(1))

    def reference(session: Session, item_id: uuid.UUID) -> dict[str, Any] | None:
        row = session.get(model, item_id)
        return None if row is None else {"id": row.id, "code": row.code, "name": row.name, "unit": row.unit}

    def prime(session: Session, item_ids: Iterable[Any]) -> None:
        wanted = set()
        for item_id in item_ids:
            try:
                wanted.add(uuid.UUID(str(item_id)))
            except ValueError:
                continue  # a line without an item (a shortfall line carrying only an error)
        if wanted:
            prime_references(reference, (row._asdict() for row in session.execute(
                select(model.id, model.code, model.name, model.unit).where(model.id.in_(wanted)))))

    return id_for_code, reference, prime


def create_table(op, sa) -> None:
    """The migration step creating a service's `catalog_items` (plans and drills run the same one)."""
    op.create_table('catalog_items',
                    sa.Column('id', sa.Uuid(), nullable=False),
                    sa.Column('code', sa.String(length=64), nullable=False),
                    sa.Column('name', sa.String(length=200), nullable=False),
                    sa.Column('unit', sa.String(length=32), nullable=True),
                    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_items')))
    op.create_index(op.f('ix_catalog_items_code'), 'catalog_items', ['code'], unique=False)


def drop_table(op) -> None:
    op.drop_index(op.f('ix_catalog_items_code'), table_name='catalog_items')
    op.drop_table('catalog_items')
