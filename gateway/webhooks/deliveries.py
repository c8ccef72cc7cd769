"""Webhook deliveries: one per subscription and event, made pending by the notifier's handler, claimed by a sender
(never by two at once), each attempt appended, settled delivered or failed; listed newest first."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.models import webhook_deliveries as deliveries
from gateway.models import webhook_subscriptions as subscriptions
from gateway.webhooks import standing
from gateway.webhooks.subscriptions import DELIVERED, FAILED, PENDING
from servicekit.events import Event

STATUSES = (PENDING, DELIVERED, FAILED)
MAX_ERROR_LENGTH = 500  # an attempt's error text, as listed
OUT_OF_TIME = "no more attempts: the retry window after the event is over"


@dataclass(frozen=True)
class Delivery:
    """A delivery as listed."""

    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    occurred_at: dt.datetime
    status: str
    attempts: list[dict[str, Any]]
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    error: str | None  # why it was failed without a further attempt


@dataclass(frozen=True)
class Claim:
    """A delivery a sender has taken: what to send, where, signed with what."""

    id: uuid.UUID
    subscription_id: uuid.UUID
    event_type: str
    envelope: str
    url: str
    secret: str
    failures: int  # attempts made before this one
    give_up_at: dt.datetime
    # The end of this claim's lease, as written to the row's next_attempt_at: while the row still holds it no other
    # sender has taken the delivery, and this claim's attempt may settle or reschedule it (record_attempt).
    leased_until: dt.datetime


def add_pending(event: Event, subscription_ids: Iterable[uuid.UUID], *, session: Session, now: dt.datetime,
                window: dt.timedelta) -> int:
    """A pending delivery of `event` per subscription, due at once; one that exists already is left as it is."""
    rows = [{"id": uuid.uuid4(), "subscription_id": subscription_id, "event_id": uuid.UUID(event.id),
             "event_type": event.type, "occurred_at": event.occurred, "envelope": event.to_json(), "status": PENDING,
             "attempts": [], "next_attempt_at": now, "give_up_at": event.occurred + window, "created_at": now}
            for subscription_id in subscription_ids]
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(deliveries).values(rows).on_conflict_do_nothing(
        index_elements=["subscription_id", "event_id"]).returning(deliveries.c.id)
    return len(session.execute(statement).all())


def page(subscription_id: uuid.UUID, *, session: Session, page: int, per_page: int) -> tuple[list[Delivery], int]:
    """One page of a subscription's deliveries, newest first, and how many there are in all."""
    where = deliveries.c.subscription_id == subscription_id
    total = session.scalar(select(func.count()).select_from(deliveries).where(where))
    rows = session.execute(
        select(deliveries.c.id, deliveries.c.event_id, deliveries.c.event_type, deliveries.c.occurred_at,
               deliveries.c.status, deliveries.c.attempts, deliveries.c.next_attempt_at, deliveries.c.created_at,
               deliveries.c.error)
        .where(where).order_by(deliveries.c.created_at.desc(), deliveries.c.occurred_at.desc(), deliveries.c.id)
        .limit(per_page).offset((page - 1) * per_page))
    return [Delivery(**row._mapping) for row in rows], total


def give_up_expired(*, session: Session, now: dt.datetime) -> int:
    """Fail every pending delivery past its retry window, or of a deleted subscription: never sent again."""
    failed = _fail(deliveries.c.give_up_at <= now, error=OUT_OF_TIME, session=session, now=now)
    deleted = select(subscriptions.c.id).where(subscriptions.c.active.is_(False))
    return failed + _fail(deliveries.c.subscription_id.in_(deleted), error=standing.failure(standing.DELETED),
                          session=session, now=now)


def give_up_lapsed(*, session: Session, now: dt.datetime, bootstrap_admin: bool) -> int:
    """Fail the pending deliveries now due of every subscription whose creator no longer stands (a revoked key, a
    deactivated person, one no longer an admin): they are not sent, and say why."""
    creators = session.execute(
        select(subscriptions.c.id, subscriptions.c.created_by_kind, subscriptions.c.created_by).distinct()
        .join(deliveries, deliveries.c.subscription_id == subscriptions.c.id)
        .where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now,
               subscriptions.c.active.is_(True))).all()
    failed = 0
    for row in creators:
        reason = standing.lapse(row.created_by_kind, row.created_by, session=session, bootstrap_admin=bootstrap_admin)
        if reason is not None:
            failed += _fail(deliveries.c.subscription_id == row.id, error=standing.failure(reason), session=session,
                            now=now)
    return failed


def _fail(where, *, error: str, session: Session, now: dt.datetime) -> int:
    done = session.execute(update(deliveries).where(deliveries.c.status == PENDING, where)
                           .values(status=FAILED, next_attempt_at=None, settled_at=now, error=error))
    return done.rowcount


def claim_due(*, session: Session, now: dt.datetime, limit: int, lease: dt.timedelta,
              busy: frozenset[uuid.UUID] = frozenset()) -> list[Claim]:
    """Take up to `limit` due deliveries, at most one per subscription and none of a `busy` one, the longest-due
    first: each is pushed `lease` ahead so no other sender takes it meanwhile (nor again, should this one die
    mid-send, before the lease ends). On PostgreSQL, rows another sender is claiming are skipped, not waited for."""
    if limit <= 0:
        return []
    candidates = session.execute(
        select(deliveries.c.id, deliveries.c.subscription_id, deliveries.c.event_type, deliveries.c.envelope,
               deliveries.c.attempts, deliveries.c.give_up_at, subscriptions.c.url, subscriptions.c.secret)
        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now,
               subscriptions.c.active.is_(True))
        .order_by(deliveries.c.next_attempt_at, deliveries.c.occurred_at, deliveries.c.id)
        # Several per free slot, so one subscription's backlog does not hide the others' due deliveries.
        .limit(limit * 4)
        .with_for_update(skip_locked=True, of=deliveries)
    ).all()
    chosen, taken = [], set(busy)
    leased_until = now + lease
    for row in candidates:
        if row.subscription_id in taken or len(chosen) >= limit:
            continue
        taken.add(row.subscription_id)
        chosen.append(Claim(id=row.id, subscription_id=row.subscription_id, event_type=row.event_type,
                            envelope=row.envelope, url=row.url, secret=row.secret, failures=len(row.attempts),
                            give_up_at=row.give_up_at, leased_until=leased_until))
    if chosen:
        session.execute(update(deliveries).where(deliveries.c.id.in_([claim.id for claim in chosen]))
                        .values(next_attempt_at=leased_until))
    return chosen


def record_attempt(claim: Claim, attempt: dict[str, Any], *, delivered: bool, next_attempt_at: dt.datetime | None,
                   session: Session, now: dt.datetime) -> str:
    """Append `claim`'s attempt and settle what it means: delivered; due again at `next_attempt_at`; or, with none,
    failed. Answers the delivery's status.

    An attempt that outlived its lease may have been overtaken: another sender claimed the delivery and sent it
    again (at least once, never exactly once). Such a stale claim's failure is listed but moves nothing, so the
    newer claim's schedule stands; its 2xx still settles the delivery delivered, whatever happened meanwhile (a
    newer claim's failure, the subscription deleted): the receiver has it."""
    row = session.execute(select(deliveries.c.status, deliveries.c.attempts, deliveries.c.next_attempt_at)
                          .where(deliveries.c.id == claim.id).with_for_update()).one()
    attempt = {**attempt, "error": (attempt.get("error") or None) and attempt["error"][:MAX_ERROR_LENGTH]}
    values: dict[str, Any] = {"attempts": [*row.attempts, attempt]}
    status = row.status
    if delivered and status != DELIVERED:
        status = DELIVERED
        values.update(status=status, next_attempt_at=None, settled_at=now, error=None)
    elif not delivered and status == PENDING and row.next_attempt_at == claim.leased_until:
        if next_attempt_at is None:
            status = FAILED
            values.update(status=status, next_attempt_at=None, settled_at=now, error=OUT_OF_TIME)
        else:
            values["next_attempt_at"] = next_attempt_at
    session.execute(update(deliveries).where(deliveries.c.id == claim.id).values(**values))
    return status
