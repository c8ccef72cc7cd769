"""Whether a webhook subscription's creator still stands behind it: the key or person that made it, found again as
of now (gateway/creators.py), live and an admin. The one rule the fan-out, the sender and the API all apply."""
from __future__ import annotations

from sqlalchemy.orm import Session

from gateway import auth, creators

ADMIN_ROLE = "admin"  # only admins subscribe (gateway/roles.py, area "webhooks"): only an admin's keeps delivering

# Why a subscription is inactive, as the API answers it (`inactive_reason`) and the console translates it.
CREATOR_INACTIVE = "creator_inactive"  # a revoked key, a deactivated or deleted person, the bootstrap key unset
CREATOR_NOT_ADMIN = "creator_not_admin"  # the person was given another role
DELETED = "deleted"  # deleted through the API (such subscriptions are not listed; their deliveries say so)
REASONS = {
    CREATOR_INACTIVE: "creator no longer active (its API key was revoked, or the person deactivated)",
    CREATOR_NOT_ADMIN: "creator no longer an admin",
    DELETED: "subscription deleted",
}


def lapse(kind: str, creator_id: str, *, session: Session, bootstrap_admin: bool) -> str | None:
    """Why the subscription made by this creator delivers nothing now (a key of REASONS), or None when it does.
    `bootstrap_admin`: whether the bootstrap admin key (ERDM_ADMIN_KEY) is configured here, so that its
    subscriptions stand as long as it does. A creator made live and admin again stands again: as for calendar
    feeds, nothing is decided for good."""
    actor = creators.now(kind, creator_id, session=session,
                         bootstrap_admin=(lambda: auth.ADMIN) if bootstrap_admin else None)
    if actor is None:
        return CREATOR_INACTIVE
    if actor.role != ADMIN_ROLE:
        return CREATOR_NOT_ADMIN
    return None


def failure(reason: str) -> str:
    """A delivery's `error` when it is failed for `reason` without being sent."""
    return f"not sent: {REASONS[reason]}"
