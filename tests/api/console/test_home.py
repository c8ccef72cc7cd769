"""The home page: what needs doing within the signed-in person's scope, each line linking to its page."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import httpx

from console import testing
from console.testing import visible_text

TANK_PLAN = "a1b2c3d4-0000-4000-8000-000000000001"
FLOOD_PLAN = "a1b2c3d4-0000-4000-8000-000000000002"
FIRE_PLAN = "a1b2c3d4-0000-4000-8000-000000000003"
DRILL_ID = "d1e2f3a4-0000-4000-8000-000000000001"
ACTION_ID = "c1a2b3d4-0000-4000-8000-000000000001"
DEPOT = {"id": "b1c2d3e4-0000-4000-8000-000000000001", "code": "WH-PD-01", "name": "浦东应急物资储备库"}
PUMP = {"id": "e1f2a3b4-0000-4000-8000-000000000001", "code": "2010101", "name": "抽水泵", "unit": "台"}
BAGS = {"id": "e1f2a3b4-0000-4000-8000-000000000002", "code": "3010201", "name": "防汛沙袋", "unit": "条"}
TENT = {"id": "e1f2a3b4-0000-4000-8000-000000000003", "code": "1010101", "name": "救灾帐篷", "unit": "顶"}
LIGHT = {"id": "e1f2a3b4-0000-4000-8000-000000000004", "code": "2020101", "name": "移动照明灯塔", "unit": "台"}
IDS = (TANK_PLAN, FLOOD_PLAN, FIRE_PLAN, DRILL_ID, ACTION_ID, DEPOT["id"], PUMP["id"], BAGS["id"], TENT["id"],
       LIGHT["id"])


def readiness_row(plan_id, code, title, shortfall=()):
    """One approved plan as `GET /readiness` answers it (gateway/readiness.py: build_view)."""
    return {"plan_id": plan_id, "code": code, "title": title, "type": "special", "resources_ready": not shortfall,
            "shortfall": [{"item_id": item["id"], "item": item, "required": required, "available": available,
                           "shortfall": required - available} for item, required, available in shortfall],
            "next_drill_due": "2025-09-01", "compliance": "ok", "needs_revision": False, "next_drill": None,
            "open_corrective_actions": 0, "overdue_corrective_actions": 0}


def plan(plan_id, code, title, compliance, next_drill_due, evaluation_due):
    """A plan as `GET /plans` answers it (services/plans/api/schemas.py: PlanSchema), the fields the page reads."""
    return {"id": plan_id, "code": code, "title": title, "type": "special", "status": "approved", "version": 1,
            "org": {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"},
            "next_drill_due": next_drill_due, "evaluation_due": evaluation_due, "compliance": compliance,
            "needs_revision": False, "filing_overdue": False}


READINESS = testing.page_of([
    readiness_row(TANK_PLAN, "YA-2025-001", "危化品储罐泄漏专项应急预案", [(PUMP, 6.0, 2.0), (BAGS, 500.0, 120.5)]),
    readiness_row(FIRE_PLAN, "YA-2025-003", "森林火灾专项应急预案"),
], per_page=500)
OVERDUE = testing.page_of([plan(FLOOD_PLAN, "YA-2024-007", "城市内涝现场处置方案", "overdue", "2025-01-15",
                                "2026-06-30")], per_page=10)
DUE_SOON = testing.page_of([plan(TANK_PLAN, "YA-2025-001", "危化品储罐泄漏专项应急预案", "due_soon", "2025-04-10",
                                 "2027-03-01")], per_page=10, total=12)
DRILLS = testing.page_of([{
    "id": DRILL_ID, "plan_id": FLOOD_PLAN, "plan": {"id": FLOOD_PLAN, "code": "YA-2024-007", "name": "城市内涝现场处置方案"},
    "title": "2025年汛期内涝抢险实战演练", "form": "live", "scope": "comprehensive",
    "scheduled_start": "2025-04-02T01:30:00+00:00", "scheduled_end": "2025-04-02T04:00:00+00:00",
    "status": "resource_shortfall", "org": {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT",
                                            "name": "市应急管理局"}}], per_page=10)
ACTIONS = testing.page_of([{
    "id": ACTION_ID, "finding_id": "f1000000-0000-4000-8000-000000000001", "drill_id": DRILL_ID,
    "plan_id": FLOOD_PLAN, "plan": {"id": FLOOD_PLAN, "code": "YA-2024-007", "name": "城市内涝现场处置方案"},
    "owner": "排水所 张工", "due_date": "2025-02-28", "description": "补充地下通道积水监测点并纳入预案附件",
    "status": "open", "overdue": True}], per_page=10)
ALERTS = testing.page_of([
    {"kind": "expired", "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": TENT["id"], "item": TENT,
     "lot_id": "10700000-0000-4000-8000-000000000001", "batch_no": "B2019-03", "expiry_date": "2025-02-01",
     "quantity": 40.0, "reserved": 0.0, "days_left": -30},
    {"kind": "inspection_due", "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": LIGHT["id"],
     "item": LIGHT, "equipment_id": "e0000000-0000-4000-8000-000000000001", "serial_no": "ZM-0007",
     "status": "in_service", "next_inspection_due": "2025-03-20", "overdue": False, "days_left": 5},
    {"kind": "low_stock", "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": BAGS["id"], "item": BAGS,
     "available": 120.5, "min_quantity": 1000.0, "shortfall": 879.5},
    {"kind": "expiring", "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": BAGS["id"], "item": BAGS,
     "lot_id": "10700000-0000-4000-8000-000000000002", "batch_no": "SD-2023-11", "expiry_date": "2025-04-01",
     "quantity": 100.0, "reserved": 0.0, "days_left": 17},
], per_page=10, total=14)


def serve_everything(gateway):
    gateway.on("GET", "/readiness", READINESS)
    gateway.on("GET", "/plans", lambda request: httpx.Response(
        200, json=OVERDUE if request.url.params["compliance"] == "overdue" else DUE_SOON))
    gateway.on("GET", "/drills", DRILLS)
    gateway.on("GET", "/corrective-actions", ACTIONS)
    gateway.on("GET", "/alerts", ALERTS)
    # The supervision panels, with nothing open (test_supervision_home_panels.py fills them).
    gateway.on("GET", "/rectification-orders", testing.page_of([], per_page=10))
    gateway.on("GET", "/warnings", testing.page_of([], per_page=10))


def panel(html: str, name: str) -> str | None:
    found = re.search(rf'<section class="card panel" data-panel="{name}">(.*?)</section>', html, re.DOTALL)
    return found and found.group(1)


def count_of(html: str, name: str) -> str:
    return re.search(r'<span class="panel-count[^"]*">([^<]+)</span>', panel(html, name)).group(1)


def test_plans_short_of_stock_name_each_missing_item_and_link_to_the_plan(console, gateway):
    serve_everything(gateway)
    html = console.get("/").get_data(as_text=True)
    short = panel(html, "short-plans")
    assert count_of(html, "short-plans") == "1"
    assert f'<a href="/plans/{TANK_PLAN}">YA-2025-001 危化品储罐泄漏专项应急预案</a>' in short
    text = visible_text(short)
    assert "2010101 抽水泵 缺 4 台" in text and "3010201 防汛沙袋 缺 379.5 条" in text
    assert "森林火灾" not in text  # ready: nothing to do


def test_every_page_of_the_readiness_view_is_read(console, gateway):
    serve_everything(gateway)

    def two_pages(request: httpx.Request):
        page = int(request.url.params["page"])
        rows = READINESS["items"][page - 1:page]
        return httpx.Response(200, json={**testing.page_of(rows, page=page, per_page=1, total=2), "partial": False})

    gateway.on("GET", "/readiness", two_pages)
    console.get("/")
    asked = [parse_qs(r.url.query.decode()) for r in gateway.requests if r.url.path == "/api/v1/readiness"]
    assert [query["page"] for query in asked] == [["1"], ["2"]]


def test_a_partial_readiness_view_says_the_list_may_be_incomplete(console, gateway):
    serve_everything(gateway)
    gateway.on("GET", "/readiness", {**testing.page_of([]), "partial": True, "unavailable": {"plans": "timed out"}})
    short = panel(console.get("/").get_data(as_text=True), "short-plans")
    assert "此列表可能不完整" in short and "物资均已到位" not in short  # not known, so not claimed


def test_plans_due_for_a_drill_show_overdue_first_with_their_dates(console, gateway):
    serve_everything(gateway)
    html = console.get("/").get_data(as_text=True)
    due = panel(html, "due-plans")
    assert count_of(html, "due-plans") == "13"  # 1 overdue + 12 due soon, though only the first page is listed
    links = re.findall(r'<a href="/plans/([0-9a-f-]{36})">([^<]+)</a>', due)
    assert links == [(FLOOD_PLAN, "YA-2024-007 城市内涝现场处置方案"), (TANK_PLAN, "YA-2025-001 危化品储罐泄漏专项应急预案")]
    text = visible_text(due)
    assert "已逾期" in text and "即将到期" in text and "2025-01-15" in text and "2027-03-01" in text
    assert "另有 11 条" in text and 'href="/plans/?compliance=due_soon"' in due


def test_upcoming_drills_link_to_each_drill_with_its_plan_and_state(console, gateway):
    serve_everything(gateway)
    html = console.get("/").get_data(as_text=True)
    drills = panel(html, "upcoming-drills")
    assert f'<a href="/drills/{DRILL_ID}">2025年汛期内涝抢险实战演练</a>' in drills
    text = visible_text(drills)
    assert "YA-2024-007 城市内涝现场处置方案" in text and "2025-04-02 09:30" in text and "物资不足" in text


def test_overdue_corrective_actions_link_to_the_board(console, gateway):
    serve_everything(gateway)
    html = console.get("/").get_data(as_text=True)
    actions = panel(html, "overdue-actions")
    assert count_of(html, "overdue-actions") == "1"
    assert '<a href="/drills/actions">补充地下通道积水监测点并纳入预案附件</a>' in actions
    assert "排水所 张工" in actions and "2025-02-28" in actions


def test_alerts_say_what_each_is_about_and_link_to_the_depot(console, gateway):
    serve_everything(gateway)
    html = console.get("/").get_data(as_text=True)
    alerts = panel(html, "alerts")
    assert count_of(html, "alerts") == "14"
    assert alerts.count(f'<a href="/stock/depots/{DEPOT["id"]}">WH-PD-01 浦东应急物资储备库</a>') == 4
    text = visible_text(alerts)
    assert "已过期 WH-PD-01" in text and "批次 B2019-03：40 顶 已于 2025-02-01 过期" in text
    assert "装备 ZM-0007：应于 2025-03-20 前检验" in text
    assert "可用 120.5 条，储备定额 1000" in text
    assert "批次 SD-2023-11：100 条 将于 2025-04-01 到期" in text
    assert "另有 10 条" in text and 'href="/stock/alerts"' in alerts


def test_the_home_page_asks_each_list_within_its_window(console, gateway):
    serve_everything(gateway)
    console.get("/")
    asked = {(r.url.path, r.url.params.get("compliance")): parse_qs(r.url.query.decode())
             for r in gateway.requests if r.url.path.startswith("/api/v1/") and r.url.path != "/api/v1/me"
             and r.url.path != "/api/v1/sessions"}
    assert asked[("/api/v1/plans", "overdue")]["compliance"] == ["overdue"]
    assert asked[("/api/v1/plans", "due_soon")]["compliance"] == ["due_soon"]
    assert asked[("/api/v1/drills", None)]["upcoming"] == ["true"]
    assert asked[("/api/v1/corrective-actions", None)]["overdue"] == ["true"]
    assert asked[("/api/v1/alerts", None)]["within_days"] == ["30"]


def test_a_panel_whose_call_failed_says_so_and_the_rest_still_shows(console, gateway):
    serve_everything(gateway)
    gateway.on("GET", "/alerts", testing.problem(503, "the resources service is unavailable"))
    page = console.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "此项暂时无法加载" in panel(html, "alerts") and count_of(html, "alerts") == "—"
    assert "此项暂时无法加载" not in panel(html, "overdue-actions")
    assert "补充地下通道积水监测点" in html and "危化品储罐泄漏" in html


def test_a_role_that_may_not_read_an_area_gets_no_panel_for_it(console, gateway):
    serve_everything(gateway)
    gateway.on("GET", "/corrective-actions", testing.problem(403, "the viewer role may not read in the drill area"))
    html = console.get("/").get_data(as_text=True)
    assert panel(html, "overdue-actions") is None
    assert panel(html, "alerts") is not None and "此项暂时无法加载" not in html


def test_nothing_to_do_is_said_plainly(console, gateway):
    for path in ("/readiness", "/plans", "/drills", "/corrective-actions", "/alerts", "/rectification-orders",
                 "/warnings"):
        gateway.on("GET", path, testing.page_of([]))
    html = console.get("/").get_data(as_text=True)
    assert "所有已批准预案的物资均已到位" in html and "30 天内没有需要演练或评估的预案" in html
    assert "暂无待进行的演练" in html and "没有逾期的整改措施" in html and "30 天内没有物资预警" in html
    assert "没有待整改的整改指令" in html and "当前没有生效中的预警" in html
    assert count_of(html, "alerts") == "0"


def test_no_record_id_is_shown_on_the_home_page(console, gateway):
    serve_everything(gateway)
    text = visible_text(console.get("/").get_data(as_text=True))
    assert "待办事项" in text
    assert not any(record_id in text for record_id in IDS)
