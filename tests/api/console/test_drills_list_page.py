"""The drills as a list: filtered by plan and status, paged, each drill with its plan's code and title."""
from __future__ import annotations

from console import testing
from tests.api.console import drills_records as records


def test_the_list_shows_each_drill_with_its_plan_time_and_status(console, gateway):
    gateway.on("GET", "/drills", testing.page_of([records.drill()]))
    gateway.on("GET", "/plans", records.plans_by_status)
    answer = console.get("/drills/list")
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert "2026-12-10 09:00" in text and "2026年防汛实战演练" in text and "YA-2026-01 防汛防台专项应急预案" in text
    assert "实战演练" in text and "就绪" in text and f'href="/drills/{records.DRILL_ID}"' in html
    assert records.DRILL_ID not in text and records.PLAN_ID not in text


def test_the_filters_and_the_pager_pass_their_params(console, gateway):
    gateway.on("GET", "/drills", testing.page_of([records.drill()], page=2, per_page=25, total=60))
    gateway.on("GET", "/plans", records.plans_by_status)
    html = console.get(f"/drills/list?plan_id={records.PLAN_ID}&status=completed&page=2").get_data(as_text=True)
    asked = [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/drills"]
    assert asked == [{"plan_id": records.PLAN_ID, "status": "completed", "page": "2", "per_page": "25"}]
    assert "第 2 / 3 页（共 60 条）" in html and "page=3" in html and "page=1" in html
    assert f'<option value="{records.PLAN_ID}" selected>' in html and '<option value="completed" selected>' in html


def test_a_filter_that_is_not_one_is_left_out_rather_than_refused(console, gateway):
    gateway.on("GET", "/drills", testing.page_of([]))
    gateway.on("GET", "/plans", records.plans_by_status)
    answer = console.get("/drills/list?plan_id=nonsense&status=finished")
    assert answer.status_code == 200 and "没有符合条件的演练。" in answer.get_data(as_text=True)
    asked = [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/drills"]
    assert asked == [{"page": "1", "per_page": "25"}]
