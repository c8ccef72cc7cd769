"""What the notifier does with an event from the bus: a pending delivery for each subscription that lists its type,
whose creator still stands and whose scope holds the event's organisation (the gateway's directory decides)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.events import payload_class
from gateway.models import orgs
from gateway.webhooks import deliveries, subscriptions
from servicekit.after_commit import after_commit
from servicekit.events import Event

log = logging.getLogger("erdm.webhooks")

_UNKNOWN = object()  # an event of an organisation the directory does not hold: it reaches nobody


def fan_out(event: Event, *, session: Session, now: dt.datetime, window: dt.timedelta,
            wake: Callable[[], None] | None = None, bootstrap_admin: bool = False) -> int:
    """Make the event's deliveries inside the handler's transaction (with the inbox row); `wake` the sender once
    they are committed. None for a subscription whose creator no longer stands (`bootstrap_admin`: whether the
    bootstrap admin key is configured, see standing.py). Answers how many were made."""
    listeners = subscriptions.listening(event.type, session=session, bootstrap_admin=bootstrap_admin)
    if not listeners:
        return 0
    where = _organisation_path(event, session=session)
    if where is _UNKNOWN:
        log.info("%s %s belongs to no organisation the directory holds; no webhook hears it", event.type, event.id)
        return 0
    reached = [listener.id for listener in listeners if subscriptions.reaches(listener, where)]
    made = deliveries.add_pending(event, reached, session=session, now=now, window=window)
    if made and wake is not None:
        after_commit(session, wake)
    return made


def _organisation_path(event: Event, *, session: Session):
    """The path of the organisation the event belongs to; None for an event of the shared catalogue (its payload
    has no `org_id` at all); _UNKNOWN when it names none or one the directory lacks."""
    payload = payload_class(event.type).of(event)
    if "org_id" not in {field.name for field in dataclasses.fields(payload)}:
        return None
    org_id = payload.org_id
    if not isinstance(org_id, uuid.UUID):
        return _UNKNOWN
    path = session.scalar(select(orgs.c.path).where(orgs.c.id == org_id))
    return path if path is not None else _UNKNOWN
