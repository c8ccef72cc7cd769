"""A district's planner prints the record and evaluation report (演练记录与评估报告) of a drill it ran: the drill,
its participants, the tents asked for and used, the scores and rating, the finding and its corrective action, by
name, on A4; a caller of another district finds no such drill."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import orgtree
from orgtree import ORGS
from printed import read_pdf
from servicekit.testing import signed_client
from services.drills.models import OrgDirectory
from tests.flows.drillbook import DrillBook

TENTS = str(uuid.uuid4())
SCORES = {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
          "equipment_materials": 4}


@pytest.fixture
def district(drills_app, drills_db):
    orgtree.seed_directory(drills_db, OrgDirectory)
    return DrillBook(signed_client(drills_app, actor=orgtree.actor("PD", "subtree", role="planner")), drills_db)


@pytest.fixture
def evaluated_drill(district):
    """浦东's flood drill: 12 tents held, 8 used, scored, one finding with its corrective action."""
    district.deliver("item.changed", {"item_id": TENTS, "item": {"id": TENTS, "code": "ZP-01", "name": "救灾帐篷",
                                                                 "unit": "顶", "updated_at": "2026-12-01T08:00:00Z"},
                                      "kind": "material", "category_code": "10401"})
    plan = district.approve_plan(code="YA-FLOOD", title="城市防汛专项应急预案", org_id=str(ORGS["PD"][0]),
                                 org_path=ORGS["PD"][1])
    drill = district.ready_drill(plan, resources=[{"item_id": TENTS, "quantity": 12}])
    district.post(f"/drills/{drill['id']}/start", expect=200)
    district.post(f"/drills/{drill['id']}/complete", {"consumed": [{"item_id": TENTS, "quantity": 8}],
                                                      "participants_count": 45, "summary": "演练按方案完成"}, expect=200)
    district.post(f"/drills/{drill['id']}/evaluation", {"scores": SCORES, "rating": "good",
                                                        "evaluator": "市应急局专家组", "comments": "总体有序"})
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    district.post(f"/drills/{drill['id']}/findings", {
        "description": "指挥部与现场通信中断八分钟", "severity": "high", "requires_plan_revision": True,
        "corrective_action": {"owner": "区应急管理局通信科", "due_date": due, "description": "配备卫星电话"}})
    return drill


def test_the_report_shows_the_drill_its_resources_scores_findings_and_actions(district, evaluated_drill):
    printed = read_pdf(district.client.get(f"/api/v1/drills/{evaluated_drill['id']}/report.pdf"))
    assert printed.is_a4()
    assert printed.title == "演练记录与评估报告" and printed.author == "浦东新区应急管理局"
    assert printed.says("演练记录与评估报告", "城区防汛桌面演练", "城市防汛专项应急预案", "YA-FLOOD", "浦东新区应急管理局",
                        "桌面演练", "区应急指挥中心", "区水务局、街道办", "45")
    assert printed.says("救灾帐篷 12 8 顶")  # asked for 12, used 8
    assert printed.says("预案适用性 4", "演练准备 5", "指挥协调 3", "平均分 4.00", "良好", "市应急局专家组")
    assert printed.says("指挥部与现场通信中断八分钟", "严重", "配备卫星电话", "区应急管理局通信科", "整改中")
    assert all(printed.says(f"第 {n} 页 共 {len(printed.pages)} 页") for n in range(1, len(printed.pages) + 1))


def test_a_drill_not_yet_held_prints_with_its_evaluation_and_findings_left_empty(district):
    plan = district.approve_plan(org_id=str(ORGS["PD"][0]), org_path=ORGS["PD"][1])
    drill = district.ready_drill(plan)
    printed = read_pdf(district.client.get(f"/api/v1/drills/{drill['id']}/report.pdf"))
    assert printed.says("准备就绪", "尚未评估", "未发现问题", "本次演练未使用物资")


def test_another_districts_drill_is_not_found(drills_app, district, evaluated_drill):
    xuhui = signed_client(drills_app, actor=orgtree.actor("XH", "subtree", role="viewer"))
    answer = xuhui.get(f"/api/v1/drills/{evaluated_drill['id']}/report.pdf")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert district.client.get(f"/api/v1/drills/{uuid.uuid4()}/report.pdf").status_code == 404
