"""A rectification order's files (the notice signed, photos of the fix, the acceptance report): the enterprise
attaches its evidence, the bureau's inspector sees and adds to it, nobody else learns they exist (the shared
stories: tests/api/attachmentstories.py)."""
from __future__ import annotations

import uuid

import pytest

from attachmentstories import API, AttachmentStories, AttachmentWorld, pdf_bytes, upload
from inspections import ORDERS, Desk, pin_clock
from stockroom import assert_problem
from tests.objectstore import stored_files


@pytest.fixture
def world(desk, monkeypatch):
    pin_clock(monkeypatch)
    inspector = Desk(desk("JB"))
    order = inspector.order(inspector.hazard("MINE-1"))
    return AttachmentWorld(service="supervision", path=f"{ORDERS}/{order['id']}",
                           owner=desk("MINE-1", role="logistics", scope="own"), outsider=desk("NS"),
                           missing_path=f"{ORDERS}/{uuid.uuid4()}")


class TestOrderAttachments(AttachmentStories):
    def test_the_issuing_bureau_reads_the_enterprises_evidence_and_adds_its_own(self, world, desk):
        evidence = upload(world.owner, world.path, pdf_bytes(), "整改完成报告.pdf").get_json()
        inspector = desk("JB")
        assert inspector.get(evidence["content_url"]).data == pdf_bytes()
        assert upload(inspector, world.path, pdf_bytes(), "复查意见.pdf").status_code == 201
        names = [item["filename"] for item in world.owner.get(f"{API}{world.path}/attachments").get_json()["items"]]
        assert sorted(names) == ["复查意见.pdf", "整改完成报告.pdf"]

    def test_only_the_enterprise_and_its_bureaus_inspectors_add_files_not_every_writer_who_sees_the_order(
            self, world, desk, settings):
        for role in ("planner", "logistics"):  # a bureau's writers whose scope reaches the mine
            body = assert_problem(upload(desk("JB", role=role), world.path, pdf_bytes(), "x.pdf"), 403)
            assert "MINE-1's own people or an inspector" in body["detail"]
        # another enterprise of the same bureau cannot see the order at all
        assert_problem(upload(desk("CHEM-1", role="logistics", scope="own"), world.path, pdf_bytes(), "x.pdf"), 404)
        assert stored_files(settings, world.service) == []
        assert upload(desk("ROOT", role="admin"), world.path, pdf_bytes(), "市局意见.pdf").status_code == 201
        own_planner = desk("MINE-1", role="planner", scope="own")
        assert upload(own_planner, world.path, pdf_bytes(), "方案.pdf").status_code == 201
        assert world.owner.get(f"{API}{world.path}/attachments").get_json()["total"] == 2
