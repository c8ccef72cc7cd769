"""The transactional outbox: an event is stored in the same transaction as the change that caused it."""
from __future__ import annotations

import uuid
from typing import Sequence

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from servicekit.db import outbox_table, utcnow
from servicekit.events import Event

# PostgreSQL delivers a NOTIFY only when the transaction commits, which is exactly when the
# relay should wake; SQLite relays poll instead.
NOTIFY_CHANNEL = "erdm_outbox"


# Built once: a statement made per call costs more to build and cache-key than to run.
_INSERT = insert(outbox_table)


def add(session: Session, event: Event) -> None:
    """Queue `event` for publication; it leaves only if the caller's transaction commits."""
    add_all(session, [event])


def add_all(session: Session, events: Sequence[Event]) -> None:
    """Queue `events` in this order, in one statement (a bulk import announces thousands) and one NOTIFY."""
    if not events:
        return
    now = utcnow()
    session.execute(_INSERT, [{"event_id": uuid.UUID(event.id), "event_type": event.type,
                               "envelope": event.to_json(), "created_at": now} for event in events])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
