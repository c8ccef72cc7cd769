"""An enterprise's planner prints the filing form (应急预案备案登记表) of its approved plan: the plan, the
enterprise and its head, the resources it requires and the filing with the authority, by name, on A4, with the
lines to sign; before the filing those lines are blank. Another district's caller finds no such plan, and a
server without WeasyPrint's libraries answers 503 naming the Debian packages to install."""
from __future__ import annotations

import sys
import uuid

import pytest

import orgtree
from orgtree import ORGS
from printed import read_pdf
from servicekit.testing import signed_client
from services.plans.models import OrgDirectory

TENTS = str(uuid.uuid4())


@pytest.fixture
def enterprise(plans_app, plans_db, plan_events):
    """东方化工's planner; the directory copy knows its head and deputy, the catalog copy the tents."""
    orgtree.seed_directory(plans_db, OrgDirectory)
    with plans_db.transaction() as session:
        org = session.get(OrgDirectory, ORGS["ENT-001"][0])
        org.principal = {"name": "王建国", "title": "总经理"}
        org.deputies = [{"name": "李安", "title": "安全副总"}]
    plan_events("item.changed", source="resources", item_id=TENTS, kind="material", category_code="10401",
                item={"id": TENTS, "code": "ZP-01", "name": "救灾帐篷", "unit": "顶",
                      "updated_at": "2026-12-01T08:00:00+00:00"})
    return signed_client(plans_app, actor=orgtree.actor("ENT-001", "own", role="planner"))


@pytest.fixture
def approved_plan(enterprise):
    def call(method, path, status=200, **kwargs):
        answer = getattr(enterprise, method)("/api/v1/plans" + path, **kwargs)
        assert answer.status_code == status, answer.get_json()
        return answer.get_json()

    plan = call("post", "", 201, json={"code": "YA-HC-01", "title": "危险化学品泄漏专项应急预案", "type": "special",
                                       "hazard_types": ["chemical_leak", "fire"], "owner_org": "安全环保部",
                                       "owner": "赵工", "summary": "储罐区泄漏的处置"})
    call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": TENTS, "quantity": 20}]})
    call("post", f"/{plan['id']}/submit")
    call("post", f"/{plan['id']}/approve", json={"approved_by": "王建国", "approved_at": "2026-11-02"})
    return plan


def form_of(client, plan):
    return read_pdf(client.get(f"/api/v1/plans/{plan['id']}/filing-form.pdf"))


def test_the_filing_form_names_the_plan_its_unit_its_resources_and_the_filing(enterprise, approved_plan):
    enterprise.post(f"/api/v1/plans/{approved_plan['id']}/filings",
                    json={"authority": "浦东新区应急管理局", "filed_at": "2026-11-20", "reference_no": "PD-BA-2026-017"})
    printed = form_of(enterprise, approved_plan)
    assert printed.is_a4()
    assert printed.title == "应急预案备案登记表" and printed.author == "东方化工有限公司"
    assert printed.says("应急预案备案登记表", "危险化学品泄漏专项应急预案", "YA-HC-01", "专项应急预案", "第 1 版",
                        "东方化工有限公司", "王建国（总经理）", "李安（安全副总）", "危化品泄漏、火灾", "安全环保部", "赵工",
                        "储罐区泄漏的处置")
    assert printed.says("批准人 王建国 批准日期 2026-11-02")
    assert printed.says("救灾帐篷 20 顶")
    assert printed.says("备案机关 浦东新区应急管理局 备案日期 2026-11-20", "备案编号：PD-BA-2026-017")
    assert printed.says("备案单位（盖章）", "经办人", "受理人（签字）", "第 1 页 共 1 页")


def test_before_the_filing_its_lines_are_left_to_fill_in(enterprise, approved_plan):
    printed = form_of(enterprise, approved_plan)
    assert printed.says("备案机关 备案日期 备案期限") and not printed.says("PD-BA")


def test_a_plan_outside_the_callers_scope_is_not_found(plans_app, approved_plan):
    xuhui = signed_client(plans_app, actor=orgtree.actor("XH", "subtree", role="viewer"))
    answer = xuhui.get(f"/api/v1/plans/{approved_plan['id']}/filing-form.pdf")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"


def test_without_weasyprints_libraries_the_form_is_503_naming_the_debian_packages(enterprise, approved_plan,
                                                                                    monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails, as without Pango
    answer = enterprise.get(f"/api/v1/plans/{approved_plan['id']}/filing-form.pdf")
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["missing_packages"] == ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-cjk"]
    assert "libpango-1.0-0" in problem["detail"] and "make debian-packages" in problem["detail"]
