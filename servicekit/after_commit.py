"""Side effects that describe a change (a metric increment) run only once that change is committed; undoings of what
was done outside the database (a file stored) run only if it is not.

A counter bumped where the change is made would count work a later failure rolls back; one
bumped in the caller would spread the knowledge of what happened. So the change's own code
registers the effect here, and it runs when the outermost transaction commits, or is dropped
with the (possibly nested) transaction it was registered in. An undoing (`after_rollback`) is the
mirror: it runs when the transaction it was registered in is rolled back or closed uncommitted,
and is dropped once the outermost transaction commits.
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_PENDING = "erdm.after_commit"
_UNDOINGS = "erdm.after_rollback"

log = logging.getLogger("erdm.after_commit")


def after_commit(session: Session, effect: Callable[[], None]) -> None:
    """Run `effect` once the transaction `session` is in now commits for good."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:  # nothing to wait for
        effect()
        return
    session.info.setdefault(_PENDING, []).append((transaction, effect))


def after_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Run `undo` if the transaction `session` is in now (begun here when there is none: it is the one the
    session's next statement would use) ends without committing for good."""
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_UNDOINGS, []).append((transaction, undo))


def _undo(undoings) -> None:
    for _transaction, undo in reversed(undoings):
        try:
            undo()
        except Exception:  # one failed undoing must not stop the others, nor the rollback
            log.exception("an undoing after a rollback failed")


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
    session.info.pop(_UNDOINGS, None)
    for _transaction, effect in session.info.pop(_PENDING, ()):
        effect()


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    # A savepoint rolled back takes only what was registered inside it; the rest may still commit.
    pending = session.info.get(_PENDING)
    if pending:
        pending[:] = [(tx, effect) for tx, effect in pending if not _within(tx, previous_transaction)]
    undoings = session.info.get(_UNDOINGS)
    if undoings:
        undone = [entry for entry in undoings if _within(entry[0], previous_transaction)]
        undoings[:] = [entry for entry in undoings if not _within(entry[0], previous_transaction)]
        _undo(undone)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_close(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without `after_commit` (closed or rolled back): nothing happened.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        _undo(session.info.pop(_UNDOINGS, ()))
