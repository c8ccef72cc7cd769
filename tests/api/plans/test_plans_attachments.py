"""A plan's files (the signed plan, the review's minutes, photos): a planner attaches them, anyone who sees the plan
reads them back, nobody else learns they exist (the shared stories: tests/api/attachmentstories.py)."""
from __future__ import annotations

import uuid

import pytest

import orgtree
from attachmentstories import AttachmentStories, AttachmentWorld
from servicekit.testing import signed_client
from services.plans.models import OrgDirectory


@pytest.fixture
def world(plans_app, plans_db):
    orgtree.seed_directory(plans_db, OrgDirectory)
    owner = signed_client(plans_app, actor=orgtree.actor("ENT-001", "own", role="planner"))
    plan = owner.post("/api/v1/plans", json={"code": f"YA-{uuid.uuid4().hex[:6]}", "title": "危化品泄漏专项应急预案",
                                             "type": "special", "owner_org": "东方化工", "owner": "李强"})
    assert plan.status_code == 201, plan.get_json()
    outsider = signed_client(plans_app, actor=orgtree.actor("XH", "subtree", role="planner"))
    return AttachmentWorld(service="plans", path=f"/plans/{plan.get_json()['id']}", owner=owner, outsider=outsider,
                           missing_path=f"/plans/{uuid.uuid4()}")


class TestPlanAttachments(AttachmentStories):
    pass
