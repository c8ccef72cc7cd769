"""Finding the ERDM process caught in the middle of something, by what PostgreSQL says it waits for."""
from __future__ import annotations

import os
import signal

from servicekit.testing import wait_until
from tests.e2e.realstack import query


def blocked_process(url: str, name_prefix: str, *, timeout: float = 30.0) -> int:
    """The pid of the `name_prefix...` process whose connection waits on a lock in this database."""
    def waiting() -> int | None:
        rows = query(url, """SELECT application_name FROM pg_stat_activity
                             WHERE datname = current_database() AND wait_event_type = 'Lock'
                               AND application_name LIKE :prefix""", prefix=f"{name_prefix}%")
        return int(rows[0][0].rsplit(" pid ", 1)[1]) if rows else None

    return wait_until(waiting, timeout=timeout, interval=0.05)


def kill_hard(pid: int) -> None:
    """SIGKILL: no handler runs, nothing is acked or committed on the way out."""
    os.kill(pid, signal.SIGKILL)
