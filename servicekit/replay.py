"""A signed write runs once: its nonce is recorded in the service's own database, shared by every process."""
from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import delete, exc as sa_exc, insert, text

from servicekit.db import Database, signature_nonces_table


class Replayed(Exception):
    """This signature was already used: the request is a replay (or a duplicate) and must not run."""


class NonceLedger:
    """Claims each nonce once, in a short transaction of its own before the view runs, so the claim
    stands even when the request itself fails or is rolled back.

    Rows are useless once their signature's window has ended (the timestamp check refuses it anyway),
    so a process sweeps them at most once per `sweep_every` seconds, through the index on `expires_at`.
    """

    def __init__(self, database: Database, *, sweep_every: float) -> None:
        self.database = database
        self.sweep_every = sweep_every
        self._next_sweep = 0.0
        self._lock = threading.Lock()

    def claim(self, nonce: str, *, expires_at: float) -> None:
        """Record `nonce` as used until `expires_at` (epoch seconds); Replayed if it was used before."""
        self._sweep_when_due()
        try:
            with self.database.transaction() as session:
                if not self.database.is_sqlite:
                    # No wait for this commit's WAL flush: the request's own (synchronous) commit flushes
                    # it too, so a nonce lost to a crash guarded a write that was never committed either.
                    session.execute(text("SET LOCAL synchronous_commit TO OFF"))
                session.execute(insert(signature_nonces_table).values(
                    nonce=nonce, expires_at=dt.datetime.fromtimestamp(expires_at, dt.timezone.utc)))
        except sa_exc.IntegrityError:
            raise Replayed(nonce) from None

    def _sweep_when_due(self) -> None:
        with self._lock:
            now = time.time()
            if now < self._next_sweep:
                return
            self._next_sweep = now + self.sweep_every
        with self.database.transaction() as session:
            session.execute(delete(signature_nonces_table).where(
                signature_nonces_table.c.expires_at < dt.datetime.fromtimestamp(now, dt.timezone.utc)))
