"""Guessing one person's password: after 5 failed sign-ins for a username within 15 minutes, that username is
refused for 15 minutes after the fifth, whatever the password.

Counted in the gateway's database, so every gateway process and instance agrees. The username is folded
as typed, known or not: a lock-out says nothing about whether the person exists.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gateway.models import sign_in_failures

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)  # failures this close together lock the username
LOCKED_FOR = dt.timedelta(minutes=15)  # counted from the failure that locked it


def username_key(username: str) -> str:
    return username.strip().lower()[:200]


def locked_until(failures: list[dt.datetime], *, now: dt.datetime) -> dt.datetime | None:
    """When the lock-out these failure times make ends, or None when there is none now (the pure rule).

    A failure that is the fifth within a window locks until LOCKED_FOR after it; the latest such lock counts.
    """
    failures = sorted(failures)
    until = None
    for index in range(MAX_FAILURES - 1, len(failures)):
        fifth = failures[index]
        if fifth - failures[index - MAX_FAILURES + 1] <= WINDOW and fifth + LOCKED_FOR > now:
            until = fifth + LOCKED_FOR
    return until


def retry_after(username: str, *, session: Session, now: dt.datetime) -> int | None:
    """Whole seconds until `username` may try again, or None when it may now."""
    since = now - WINDOW - LOCKED_FOR  # older failures can neither lock nor be part of a lock still running
    times = session.scalars(select(sign_in_failures.c.failed_at).where(
        sign_in_failures.c.username == username_key(username), sign_in_failures.c.failed_at > since)).all()
    until = locked_until(list(times), now=now)
    if until is None:
        return None
    return max(1, int(-(-(until - now).total_seconds() // 1)))  # rounded up: never "retry in 0 s"


def record_failure(username: str, *, session: Session, now: dt.datetime) -> None:
    """One more failed sign-in for `username`; failures too old to matter to anyone are swept away meanwhile."""
    session.execute(delete(sign_in_failures).where(sign_in_failures.c.failed_at <= now - WINDOW - LOCKED_FOR))
    session.execute(insert(sign_in_failures).values(username=username_key(username), failed_at=now))


def forget_failures(username: str, *, session: Session) -> None:
    """A right password starts the count afresh."""
    session.execute(delete(sign_in_failures).where(sign_in_failures.c.username == username_key(username)))
