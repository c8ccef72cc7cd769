"""Who takes which step of supervision, beyond what the caller's scope reaches: an enterprise answers for itself
(signs for an order, reports it fixed, acknowledges and reports on a warning); a bureau above the enterprise
issues, reviews and looks back. The gateway's role table says which roles may write at all; this says for whom.

A bureau's inspector or admin may record a warning answer an enterprise gave by telephone; nobody but the
enterprise signs for or reports on its own order. A caller without an organisation (a service, the command line)
acts for everyone.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from servicekit import owners
from servicekit.errors import InvalidInput, OutsideScope
from servicekit.signing import Actor
from services.supervision.models import OrgDirectory

BUREAU = "bureau"
OVERSEERS = frozenset({"inspector", "admin"})  # a bureau's people who take steps on its enterprises' records
RECORDS_TELEPHONED_ANSWERS = OVERSEERS


def for_the_enterprise(session: Session, actor: Actor, org_path: str, *, action: str,
                       telephoned: bool = False) -> None:
    """403 unless the caller is the enterprise at `org_path` itself (or, for an answer given by telephone, a
    bureau's inspector or admin above it)."""
    if not actor.org_path or actor.org_path == org_path:
        return
    if telephoned and actor.role in RECORDS_TELEPHONED_ANSWERS and _is_bureau_above(session, actor, org_path):
        return
    raise OutsideScope(f"Only {owners.code_of(org_path)}'s own people may {action}.", action=action)


def for_the_enterprise_or_its_overseers(session: Session, actor: Actor, org_path: str, *, action: str) -> None:
    """403 unless the caller is the enterprise at `org_path` itself or an inspector or admin of a bureau above it
    (a planner or logistics officer of that bureau sees the enterprise's records but takes no step on them)."""
    if not actor.org_path or actor.org_path == org_path:
        return
    if actor.role in OVERSEERS and _is_bureau_above(session, actor, org_path):
        return
    raise OutsideScope(f"Only {owners.code_of(org_path)}'s own people or an inspector of a bureau above it may "
                       f"{action}.", action=action)


def as_a_bureau_above(session: Session, actor: Actor, org_paths, *, action: str) -> None:
    """403 unless the caller's organisation is a bureau above every enterprise at `org_paths`."""
    if not actor.org_path:
        return
    for org_path in sorted(set(org_paths)):
        if not _is_bureau_above(session, actor, org_path):
            raise OutsideScope(f"Only a bureau above {owners.code_of(org_path)} may {action}.", action=action)


def _is_bureau_above(session: Session, actor: Actor, org_path: str) -> bool:
    if actor.org_path == org_path or not org_path.startswith(actor.org_path):
        return False
    own = owners.find_org(session, OrgDirectory, path=actor.org_path)
    if own is None:  # org.changed has not reached this service yet: a moment later it will have
        raise InvalidInput({"org": [f"Organisation {owners.code_of(actor.org_path)} is not known here yet; "
                                    "retry in a moment."]})
    return own.kind == BUREAU
