"""Workers and relays record that they are alive, so a service's readiness can include them."""
from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from servicekit.db import Database, heartbeat_table, utcnow

STALE_AFTER = dt.timedelta(seconds=15)


def process_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"


def beat(database: Database, *, kind: str, started_at: dt.datetime) -> None:
    insert = (postgresql.insert if not database.is_sqlite else sqlite.insert)(heartbeat_table)
    now = utcnow()
    statement = insert.values(
        name=process_name(kind), kind=kind, pid=os.getpid(), started_at=started_at, seen_at=now
    ).on_conflict_do_update(index_elements=["name"], set_={"seen_at": now})
    with database.transaction() as session:
        session.execute(statement)


def live_kinds(session: Session) -> dict[str, int]:
    """How many processes of each kind beat recently."""
    cutoff = utcnow() - STALE_AFTER
    counts: dict[str, int] = {}
    for (kind,) in session.execute(select(heartbeat_table.c.kind).where(heartbeat_table.c.seen_at >= cutoff)):
        counts[kind] = counts.get(kind, 0) + 1
    return counts
