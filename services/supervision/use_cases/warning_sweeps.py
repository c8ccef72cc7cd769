"""The worker's acknowledgement sweep: `warning.ack_overdue` once per target not acknowledged in time.

Whether a target is overdue is computed wherever it is read (domain/warnings.py); the sweep only announces it,
once, whichever of several workers sweeps: the target is marked `ack_overdue_announced` by the same statement
that picks it, in the transaction that queues its event. On PostgreSQL the pick skips rows another sweeper holds
(FOR UPDATE SKIP LOCKED) and the UPDATE re-checks its guard on the row it locked, so a target announced (or
acknowledged) by a transaction that committed meanwhile is left alone; SQLite lets one writer in at a time.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from contracts.catalogue import SUPERVISION
from contracts.events import WarningAckOverdue
from servicekit import outbox
from servicekit.events import new_event
from services.supervision.domain import warnings as rules
from services.supervision.models import Warning, WarningTarget

# Targets announced per sweep, so one sweep's transaction stays short; the rest go on the next.
BATCH = 500

_targets, _warnings = WarningTarget.__table__, Warning.__table__


def announce_overdue_acknowledgements(*, session: Session, now: dt.datetime, today: dt.date) -> int:
    """Announce every target of a warning in force that has not acknowledged by its deadline; the number."""
    guard = (_targets.c.status == rules.SENT, _targets.c.ack_overdue_announced.is_(False), _targets.c.ack_due_at < now)
    # A closed warning's silent targets were named by its `warning.closed`; they raise no alarm after it.
    in_force = select(_warnings.c.id).where(_warnings.c.status == rules.ISSUED)
    picked = (select(_targets.c.id).where(*guard, _targets.c.warning_id.in_(in_force))
              .order_by(_targets.c.ack_due_at, _targets.c.id).limit(BATCH).with_for_update(skip_locked=True))
    announced = session.execute(update(_targets).where(_targets.c.id.in_(picked), *guard)
                                .values(ack_overdue_announced=true())
                                .returning(_targets.c.warning_id, _targets.c.org_id, _targets.c.org_path,
                                           _targets.c.ack_due_at)).all()
    if not announced:
        return 0
    issuers = {row.id: row for row in session.execute(
        select(_warnings.c.id, _warnings.c.code, _warnings.c.org_id)
        .where(_warnings.c.id.in_({target.warning_id for target in announced})))}
    outbox.add_all(session, [new_event(WarningAckOverdue(
        warning_id=target.warning_id, code=issuers[target.warning_id].code, ack_due_at=target.ack_due_at,
        org_id=target.org_id, org_path=target.org_path, issuer_org_id=issuers[target.warning_id].org_id),
        source=SUPERVISION) for target in sorted(announced, key=lambda row: (row.ack_due_at, str(row.org_id)))])
    return len(announced)
