"""A plan's files (the signed plan, the review's minutes, photos): a planner attaches them, anyone who sees the plan
reads them back, nobody else learns they exist (the shared stories: tests/api/attachmentstories.py)."""
from __future__ import annotations

import time
import uuid

import pytest
from flask.testing import FlaskClient

import orgtree
from attachmentstories import MiB, AttachmentStories, AttachmentWorld, pdf_bytes
from servicekit.signing import sign
from servicekit.testing import TEST_SECRET, signed_client
from stockroom import assert_problem
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


def test_an_unsigned_or_stale_upload_is_refused_401_before_its_body_is_read(plans_app):
    """Not 413 for a body past the limit: the signature's headers are looked at before 21 MiB are spooled."""
    path = f"/api/v1/plans/{uuid.uuid4()}/attachments"
    body = (b"--x\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n" + pdf_bytes()
            + b"0" * (21 * MiB))
    form = {"Content-Type": "multipart/form-data; boundary=x"}
    stale = sign(TEST_SECRET, "POST", path, orgtree.actor("ENT-001", "own", role="planner"),
                 headers=form, body_sha256="0" * 64, now=time.time() - 3600)
    for headers in ({}, stale):
        answer = FlaskClient(plans_app).post(path, data=body, headers={**form, **headers})
        assert "through the ERDM gateway" in assert_problem(answer, 401)["detail"]
