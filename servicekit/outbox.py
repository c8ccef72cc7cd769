"""The transactional outbox: an event is stored in the same transaction as the change that caused it."""
from __future__ import annotations

import uuid
from typing import Sequence

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from servicekit.db import outbox_table, utcnow
from servicekit.driver_rows import DriverStatement
from servicekit.events import Event

# PostgreSQL delivers a NOTIFY only when the transaction commits, which is exactly when the
# relay should wake; SQLite relays poll instead.
NOTIFY_CHANNEL = "erdm_outbox"


# Built once: a statement made per call costs more to build and cache-key than to run. Its rows go to the
# driver as they are (a bulk import queues 20,000 events while SQLite's write lock is held).
_INSERT = DriverStatement(insert(outbox_table), ("event_id", "event_type", "envelope", "created_at"))


def add(session: Session, event: Event) -> None:
    """Queue `event` for publication; it leaves only if the caller's transaction commits."""
    add_all(session, [event])


def add_all(session: Session, events: Sequence[Event]) -> None:
    """Queue `events` in this order, in one statement (a bulk import announces thousands) and one NOTIFY."""
    add_rows(session, rows_of(session, events))


def rows_of(session: Session, events: Sequence[Event]) -> list:
    """The outbox rows of `events`, serialized and in the driver's own values: made whenever the caller
    likes (a bulk import makes them before it takes SQLite's write lock), queued by `add_rows`."""
    now, statement = utcnow(), _INSERT.on(session)
    return [statement.row({"event_id": uuid.UUID(event.id), "event_type": event.type, "envelope": event.to_json(),
                           "created_at": now}) for event in events]


def add_rows(session: Session, rows: Sequence) -> None:
    """Queue rows made by `rows_of`, in this order; they leave only if the caller's transaction commits."""
    if not rows:
        return
    _INSERT.on(session).run(session, rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
