"""The inbox: which events a consumer has applied, recorded in the same transaction as the effect."""
from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from servicekit.db import inbox_table, utcnow
from servicekit.events import Event


def already_applied(session: Session, event: Event, *, consumer: str) -> bool:
    row = session.execute(
        select(inbox_table.c.event_id).where(
            inbox_table.c.consumer == consumer, inbox_table.c.event_id == uuid.UUID(event.id)
        )
    ).first()
    return row is not None


def record(session: Session, event: Event, *, consumer: str) -> None:
    """Mark `event` applied; a concurrent duplicate then fails on the primary key and rolls back."""
    session.execute(
        insert(inbox_table).values(
            consumer=consumer, event_id=uuid.UUID(event.id), event_type=event.type, processed_at=utcnow()
        )
    )
