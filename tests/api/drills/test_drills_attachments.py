"""A drill's files (the script, the sign-in sheet, photos of the scene): its planners attach them, anyone who sees
the drill reads them back, nobody else learns they exist (the shared stories: tests/api/attachmentstories.py)."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import orgtree
from attachmentstories import AttachmentStories, AttachmentWorld
from servicekit.testing import signed_client
from services.drills.models import OrgDirectory
from tests.flows.drillbook import DrillBook


@pytest.fixture
def world(drills_app, drills_db, book):
    orgs = orgtree.seed_directory(drills_db, OrgDirectory)
    org_id, org_path, _name = orgs["ENT-001"]
    plan_id = book.approve_plan(org_id=str(org_id), org_path=org_path)
    owner = DrillBook(signed_client(drills_app, actor=orgtree.actor("ENT-001", "own", role="planner")), drills_db)
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    drill = owner.post("/drills", {"plan_id": plan_id, "title": "泄漏处置桌面演练", "form": "tabletop",
                                   "scope": "single", "scheduled_start": start.isoformat(),
                                   "scheduled_end": (start + dt.timedelta(hours=2)).isoformat()})
    outsider = signed_client(drills_app, actor=orgtree.actor("XH", "subtree", role="planner"))
    return AttachmentWorld(service="drills", path=f"/drills/{drill['id']}", owner=owner.client, outsider=outsider,
                           missing_path=f"/drills/{uuid.uuid4()}")


class TestDrillAttachments(AttachmentStories):
    pass
