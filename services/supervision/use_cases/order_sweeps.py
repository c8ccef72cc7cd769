"""The worker's sweep announcing rectification orders that turned overdue: once per order and due date.

An order is overdue by the calendar alone (past its due date, not closed), and answers compute it on the day; the
sweep only tells subscribers, once. `overdue_announced_for` records the due date announced, in the same transaction
as the event, so an order sent back by a failed review with a new due date is announced again when that one passes.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import SUPERVISION
from contracts.events import RectificationOverdue
from servicekit import outbox
from servicekit.events import new_event
from services.supervision.domain.orders import CLOSED
from services.supervision.models import RectificationOrder

_orders = RectificationOrder.__table__


def announce_overdue_orders(*, session: Session, now: dt.datetime, today: dt.date) -> int:
    """Mark and announce every order overdue on `today` whose due date is not yet announced; the number announced.

    Two workers sweeping at once announce each order once. On PostgreSQL the rows are claimed with FOR UPDATE
    SKIP LOCKED: a row another sweep (or a step on the order) holds is left to it or to the next sweep, and two
    sweeps never wait on each other's rows. The claim re-checks the due date not yet announced once it holds
    the row, so a row announced and committed meanwhile is not taken again. SQLite has one writer at a time.
    """
    due = _orders.c.due_date
    claimable = (select(_orders.c.id)
                 .where(_orders.c.status != CLOSED, due < today,
                        _orders.c.overdue_announced_for.is_distinct_from(due))
                 .with_for_update(skip_locked=True))
    announced = session.execute(
        _orders.update()
        .where(_orders.c.id.in_(claimable), _orders.c.overdue_announced_for.is_distinct_from(due))
        # Announcing changes nothing a reader of the order sees: its updated_at (and ETag) stay as they were.
        .values(overdue_announced_for=due, updated_at=_orders.c.updated_at)
        .returning(_orders.c.id, _orders.c.code, _orders.c.org_id, _orders.c.org_path, due)).all()
    outbox.add_all(session, [new_event(RectificationOverdue(order_id=row.id, code=row.code, org_id=row.org_id,
                                                            org_path=row.org_path, due_date=row.due_date),
                                       source=SUPERVISION) for row in announced])
    return len(announced)
