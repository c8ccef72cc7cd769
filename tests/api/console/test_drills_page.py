"""A drill's page: its plan and schedule, its resources and their reservation, the steps its status allows, its
evaluation and findings, every record named by code and name."""
from __future__ import annotations

from console import testing
from tests.api.console import drills_records as records

IDS = (records.DRILL_ID, records.PLAN_ID, records.RESERVATION_ID, records.LIFE_JACKET["id"],
       records.WAREHOUSE["id"], records.ACTION_ID, records.FINDING_ID, records.ORG["id"])


def _visible_ids(answer) -> list[str]:
    text = records.page_text(answer)
    return [record_id for record_id in IDS if record_id in text]


def test_a_ready_drill_shows_its_plan_schedule_and_the_depots_holding_its_resources(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    answer = console.get(f"/drills/{records.DRILL_ID}")
    assert answer.status_code == 200
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert f'<a href="/plans/{records.PLAN_ID}">YA-2026-01 防汛防台专项应急预案</a>' in html
    assert "2026-12-10 09:00 – 2026-12-10 12:00" in text  # UTC answers shown in Asia/Shanghai
    assert "实战演练" in text and "综合演练" in text and "滨江公园" in text and "就绪" in text
    assert "LJ-001 救生衣" in text and "50 件" in text and "WH-01 市应急物资储备库" in text and "2028-06-30" in text
    assert f'action="/drills/{records.DRILL_ID}/start"' in html
    assert f'action="/drills/{records.DRILL_ID}/cancel"' in html
    assert "/complete" not in html and "/retry-reservation" not in html and "/evaluation" not in html
    assert _visible_ids(answer) == []


def test_a_drill_short_of_stock_names_what_it_lacks_and_offers_to_ask_again(console, gateway):
    records.answer_drill_page(gateway, records.drill(
        status="resource_shortfall", reservation_id=None, reservation_status=None, resources=[
            records.line(records.LIGHT_TOWER, 5)],
        shortfall=[{"item_id": records.LIGHT_TOWER["id"], "item": records.LIGHT_TOWER, "warehouse_id": None,
                    "requested": 5, "available": 2}]))
    answer = console.get(f"/drills/{records.DRILL_ID}")
    text = records.page_text(answer)
    assert "物资不足" in text and "ZM-003 移动照明灯塔：需要 5 台，可用 2 台" in text
    assert f'action="/drills/{records.DRILL_ID}/retry-reservation"' in answer.get_data(as_text=True)
    assert "重新申请预留" in text and "开始演练" not in text


def test_a_drill_waiting_for_the_depots_says_so_and_cannot_start(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="pending_resources", reservation_id=None,
                                                     reservation_status=None))
    answer = console.get(f"/drills/{records.DRILL_ID}")
    text = records.page_text(answer)
    assert "等待物资" in text and "正在向储备库申请预留这些物资" in text
    html = answer.get_data(as_text=True)
    assert "/start" not in html and "取消演练" in text
    assert 'hx-trigger="every 3s"' in html  # with scripts, the answer shows without a reload


def test_a_drill_that_has_its_answer_is_not_fetched_again(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    assert "hx-trigger" not in console.get(f"/drills/{records.DRILL_ID}").get_data(as_text=True)


def test_a_drill_in_progress_offers_to_complete_it_with_a_row_per_reserved_item(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress", actual_start="2026-12-10T01:05:00+00:00"))
    answer = console.get(f"/drills/{records.DRILL_ID}")
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert f'action="/drills/{records.DRILL_ID}/complete"' in html
    assert f'name="consumed-0-item_id" type="hidden" value="{records.LIFE_JACKET["id"]}"' in html
    assert "LJ-001 救生衣" in text and "JJ-002 急救包" in text and "参演人数" in text and "演练总结" in text
    assert "记录发现的问题" in text  # findings are recorded once a drill has started
    assert _visible_ids(answer) == []


def test_a_completed_drill_shows_what_it_used_and_offers_its_evaluation(console, gateway):
    records.answer_drill_page(gateway, records.drill(
        status="completed", actual_start="2026-12-10T01:05:00+00:00", actual_end="2026-12-10T03:40:00+00:00",
        completed_at="2026-12-10T03:40:00+00:00", reservation_status="consumed", participants_count=120,
        summary="按预案完成转移安置", consumed=[records.line(records.LIFE_JACKET, 30)]))
    answer = console.get(f"/drills/{records.DRILL_ID}")
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert "已完成" in text and "120" in text and "按预案完成转移安置" in text and "已消耗" in text
    assert f'action="/drills/{records.DRILL_ID}/evaluation"' in html
    for criterion in ("预案适用性", "演练准备", "指挥协调", "应急处置", "装备物资"):
        assert criterion in text
    assert "取消演练" not in text and "开始演练" not in text


def test_an_evaluated_drill_shows_its_scores_rating_and_findings_with_their_actions(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="completed", evaluated=True, consumed=[]),
                              evaluation_record=records.evaluation(),
                              findings=[records.finding(), records.finding(
                                  id="11111111-2222-4333-8444-555555555555", severity="low",
                                  requires_plan_revision=False, description="签到表填写不规范",
                                  corrective_action=None)])
    answer = console.get(f"/drills/{records.DRILL_ID}")
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert "3.6" in text and "良好" in text and "省应急专家组 刘工" in text and "通信保障需加强" in text
    assert f'action="/drills/{records.DRILL_ID}/evaluation"' not in html
    assert "现场与指挥部之间通信中断约十分钟" in text and "严重" in text and "需修订预案" in text
    assert "配齐卫星电话并组织通信演练" in text and "市应急指挥中心 赵主任" in text and "2026-12-31" in text
    assert "待整改" in text and "签到表填写不规范" in text and "无需整改" in text
    assert f'href="/drills/actions?drill_id={records.DRILL_ID}"' in html
    assert _visible_ids(answer) == []


def test_a_drill_outside_the_callers_scope_is_a_not_found_page(console, gateway):
    answer = console.get(f"/drills/{records.DRILL_ID}")
    assert answer.status_code == 404 and "未找到" in answer.get_data(as_text=True)


def test_the_page_speaks_english_when_asked(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    text = records.page_text(console.get(f"/drills/{records.DRILL_ID}?lang=en"))
    assert "Start the drill" in text and "Ready" in text and "Comprehensive drill" in text


def test_a_viewer_reads_a_drill_without_the_forms_it_could_never_send(anonymous, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "viewer"})
    testing.sign_in(anonymous)
    records.answer_drill_page(gateway, records.drill(status="resource_shortfall", shortfall=[]))
    html = anonymous.get(f"/drills/{records.DRILL_ID}").get_data(as_text=True)
    assert "物资不足" in html
    assert "/retry-reservation" not in html and "/cancel" not in html and "/drills/new" not in html
    refused = anonymous.get("/drills/new")
    assert refused.status_code == 403 and "演练由预案管理人员或管理员安排。" in refused.get_data(as_text=True)
