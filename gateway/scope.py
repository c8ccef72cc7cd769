"""How far a caller reaches in the organisation tree: pure rules over paths ("/ROOT/PD/ENT-001/"), no I/O."""
from __future__ import annotations

OWN, SUBTREE = "own", "subtree"


def child_path(parent_path: str, code: str) -> str:
    """The path of an organisation with `code` under the one at `parent_path`."""
    return f"{parent_path}{code}/"


def reaches(*, org_path: str, scope: str, target_path: str) -> bool:
    """Whether a caller acting for `org_path` with `scope` may see the organisation at `target_path`."""
    if not org_path:
        return False  # an identity without an organisation reaches nothing
    if scope == SUBTREE:
        return target_path.startswith(org_path)
    return target_path == org_path


def why_wider(*, creator_path: str, creator_scope: str, org_path: str, scope: str) -> str | None:
    """Why a key or user for `org_path` with `scope` would reach further than its creator does, or None when it
    does not."""
    if not reaches(org_path=creator_path, scope=creator_scope, target_path=org_path):
        return f"the organisation {org_path} lies outside your scope ({creator_scope} of {creator_path or 'none'})"
    if creator_scope == OWN and scope != OWN:
        return "your scope is own, so the keys and users you make may only be own-scoped too"
    return None
