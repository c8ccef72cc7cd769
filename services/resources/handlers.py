"""The events the resources service consumes, each mapped to its use case: the drills service's
(use_cases/drill_holds.py) and the gateway's organisation directory (use_cases/directory.py).

The worker applies each event once (inbox) in one transaction, parsing its payload first
(contracts/handlers.py); the use cases are also safe against events arriving late or out of order.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from contracts.catalogue import RESOURCES
from contracts.events import DrillCancelled, DrillCompleted, DrillScheduled, OrgChanged
from contracts.handlers import table
from services.resources.use_cases import directory, drill_holds


class ResourceHandlers:
    """The handler table bound to the service's settings (the zone a drill hold's dates are reckoned in)."""

    def __init__(self, *, timezone: str) -> None:
        self.timezone = timezone

    def mapping(self) -> dict[str, Any]:
        return table(RESOURCES, {
            DrillScheduled: partial(drill_holds.schedule, timezone=self.timezone),
            DrillCancelled: drill_holds.cancel,
            DrillCompleted: drill_holds.complete,
            OrgChanged: directory.org_changed,
        })
