"""Side effects that describe a change (a metric increment) run only once that change is committed.

A counter bumped where the change is made would count work a later failure rolls back; one
bumped in the caller would spread the knowledge of what happened. So the change's own code
registers the effect here, and it runs when the outermost transaction commits, or is dropped
with the (possibly nested) transaction it was registered in.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_PENDING = "erdm.after_commit"


def after_commit(session: Session, effect: Callable[[], None]) -> None:
    """Run `effect` once the transaction `session` is in now commits for good."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:  # nothing to wait for
        effect()
        return
    session.info.setdefault(_PENDING, []).append((transaction, effect))


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    # Fired for a savepoint's release too; that is not the end while an enclosing transaction lasts.
    root = session.get_transaction()
    if root is not None and root.is_active:
        return
    for _transaction, effect in session.info.pop(_PENDING, ()):
        effect()


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    # A savepoint rolled back takes only what was registered inside it; the rest may still commit.
    pending = session.info.get(_PENDING)
    if pending:
        pending[:] = [(tx, effect) for tx, effect in pending if not _within(tx, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _forget_on_close(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without `after_commit` (closed or rolled back): nothing happened.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
