"""What the supervision service does with other services' events: a table from each consumed payload to its use case."""
from __future__ import annotations

from typing import Any

from contracts.catalogue import SUPERVISION
from contracts.events import OrgChanged
from contracts.handlers import table
from services.supervision.use_cases import directory


def mapping() -> dict[str, Any]:
    return table(SUPERVISION, {OrgChanged: directory.org_changed})
