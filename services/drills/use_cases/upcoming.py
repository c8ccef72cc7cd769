"""Which drills are still ahead of their plan: the one rule behind `GET /drills?upcoming=true`."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_

from services.drills.domain.lifecycle import IN_PROGRESS, NOT_STARTED
from services.drills.models import Drill


def upcoming_clause(now: dt.datetime):
    """Neither completed nor cancelled, and still to come or under way: running (even past its scheduled
    end), or not started while its window is not over (one whose window passed unstarted is behind us)."""
    return or_(Drill.status == IN_PROGRESS, and_(Drill.status.in_(NOT_STARTED), Drill.scheduled_end >= now))
