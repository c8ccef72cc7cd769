"""Webhook subscriptions as the gateway keeps them: made for the creator's organisation and scope, found within the
caller's scope, deleted for good (kept as history, inactive); and the ones an event of an organisation reaches."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway import orgs as directory
from gateway import scope as scopes
from gateway.models import orgs, webhook_deliveries, webhook_subscriptions
from gateway.webhooks import standing
from servicekit.errors import NotFound
from servicekit.signing import Actor

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Subscription:
    """A subscription as answered: everything but its secret."""

    id: uuid.UUID
    url: str
    events: list[str]
    org_id: uuid.UUID
    org_code: str
    org_name: str
    scope: str
    created_at: dt.datetime
    created_by: str
    created_by_name: str | None
    created_by_kind: str
    active: bool  # whether it delivers: its creator still a live admin (gateway/webhooks/standing.py)
    inactive_reason: str | None  # why it does not (a key of standing.REASONS), else None

    @property
    def org(self) -> dict:
        return {"id": self.org_id, "code": self.org_code, "name": self.org_name}


@dataclass(frozen=True)
class Listener:
    """What the notifier needs of an active subscription to decide whether an event reaches it."""

    id: uuid.UUID
    events: list[str]
    org_path: str
    scope: str
    created_by_kind: str
    created_by: str


_COLUMNS = (webhook_subscriptions.c.id, webhook_subscriptions.c.url, webhook_subscriptions.c.events,
            webhook_subscriptions.c.org_id, orgs.c.code.label("org_code"), orgs.c.name.label("org_name"),
            webhook_subscriptions.c.scope, webhook_subscriptions.c.created_at, webhook_subscriptions.c.created_by,
            webhook_subscriptions.c.created_by_name, webhook_subscriptions.c.created_by_kind)


def _reachable(actor: Actor):
    """The undeleted subscriptions whose organisation the caller reaches."""
    return (webhook_subscriptions.c.active.is_(True), directory.in_scope(actor))


def _selected():
    return select(*_COLUMNS).join(orgs, orgs.c.id == webhook_subscriptions.c.org_id)


def _answered(row, *, session: Session, bootstrap_admin: bool) -> Subscription:
    """A listed (undeleted) subscription, active while its creator stands."""
    reason = standing.lapse(row.created_by_kind, row.created_by, session=session, bootstrap_admin=bootstrap_admin)
    return Subscription(**row._mapping, active=reason is None, inactive_reason=reason)


def create(url: str, events: Sequence[str], secret: str, *, kind: str, session: Session, actor: Actor,
           now: dt.datetime, bootstrap_admin: bool) -> Subscription:
    """A new subscription for the caller's organisation and scope: it hears what its creator may see, no further,
    for as long as its creator (`kind` "key" or "user") is a live admin."""
    org, scope = directory.place("webhook subscription", session=session, actor=actor)
    subscription_id = uuid.uuid4()
    session.execute(webhook_subscriptions.insert().values(
        id=subscription_id, url=url, events=list(events), secret=secret, org_id=org.id, scope=scope,
        created_at=now, created_by=actor.id, created_by_name=actor.name, created_by_kind=kind, active=True))
    return get(subscription_id, session=session, actor=actor, bootstrap_admin=bootstrap_admin)


def get(subscription_id: uuid.UUID, *, session: Session, actor: Actor, bootstrap_admin: bool) -> Subscription:
    """An undeleted subscription within the caller's scope, or NotFound (outside it is as if absent)."""
    row = session.execute(_selected().where(webhook_subscriptions.c.id == subscription_id,
                                            *_reachable(actor))).one_or_none()
    if row is None:
        raise NotFound(f"no webhook subscription with id {subscription_id}")
    return _answered(row, session=session, bootstrap_admin=bootstrap_admin)


def page(*, session: Session, actor: Actor, page: int, per_page: int,
         bootstrap_admin: bool) -> tuple[list[Subscription], int]:
    """One page of the undeleted subscriptions within the caller's scope (inactive ones too, saying why), newest
    first, and how many there are."""
    where = _reachable(actor)
    total = session.scalar(select(func.count()).select_from(webhook_subscriptions)
                           .join(orgs, orgs.c.id == webhook_subscriptions.c.org_id).where(*where))
    rows = session.execute(_selected().where(*where)
                           .order_by(webhook_subscriptions.c.created_at.desc(), webhook_subscriptions.c.id)
                           .limit(per_page).offset((page - 1) * per_page))
    return [_answered(row, session=session, bootstrap_admin=bootstrap_admin) for row in rows], total


def delete(subscription_id: uuid.UUID, *, session: Session, actor: Actor, now: dt.datetime) -> None:
    """End a subscription within the caller's scope: nothing more is sent, its pending deliveries fail now."""
    get(subscription_id, session=session, actor=actor, bootstrap_admin=False)
    session.execute(update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
                    .values(active=False, deleted_at=now, deleted_by=actor.id, deleted_by_name=actor.name))
    session.execute(update(webhook_deliveries)
                    .where(webhook_deliveries.c.subscription_id == subscription_id,
                           webhook_deliveries.c.status == PENDING)
                    .values(status=FAILED, next_attempt_at=None, settled_at=now,
                            error=standing.failure(standing.DELETED)))


def listening(event_type: str, *, session: Session, bootstrap_admin: bool) -> list[Listener]:
    """The undeleted subscriptions that list `event_type` and whose creator still stands (few: they are an
    integrator's, not a user's each)."""
    rows = session.execute(select(webhook_subscriptions.c.id, webhook_subscriptions.c.events,
                                  orgs.c.path.label("org_path"), webhook_subscriptions.c.scope,
                                  webhook_subscriptions.c.created_by_kind, webhook_subscriptions.c.created_by)
                           .join(orgs, orgs.c.id == webhook_subscriptions.c.org_id)
                           .where(webhook_subscriptions.c.active.is_(True)))
    listed = [Listener(**row._mapping) for row in rows if event_type in row.events]
    return [listener for listener in listed
            if standing.lapse(listener.created_by_kind, listener.created_by, session=session,
                              bootstrap_admin=bootstrap_admin) is None]


def reaches(listener: Listener, org_path: str | None) -> bool:
    """Whether an event of the organisation at `org_path` lies in the subscription's scope; None (an event of
    the shared catalogue, which belongs to no organisation) reaches every subscription, as anyone may read it."""
    if org_path is None:
        return True
    return scopes.reaches(org_path=listener.org_path, scope=listener.scope, target_path=org_path)
