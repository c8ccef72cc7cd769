"""The supervision service's copy of the gateway's organisation directory (from org.changed): who heads each
enterprise (sign-offs are checked against it), and its district and industries (warnings are matched to them)."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from contracts.events import OrgChanged
from servicekit import directory_copy, owners
from servicekit.events import Event
from services.supervision.models import OrgDirectory

log = logging.getLogger("erdm.supervision.directory")

# `{id, code, name}` of a record's organisation, named from this copy (servicekit/owners.py).
org_reference = owners.references(OrgDirectory)


def org_changed(change: OrgChanged, *, event: Event, session: Session) -> None:
    """org.changed: keep the organisation's place in the tree, district, industries and heads, newest wins."""
    if not directory_copy.remember(session, OrgDirectory, change):
        log.info("org.changed %s is not newer than the copy of %s held; ignored", event.id, change.code)
