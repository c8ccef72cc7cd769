"""The home page's supervision panels: the rectification orders not yet closed (the overdue first, in red, with
how many are overdue) and the warnings in force with how many enterprises have not acknowledged them; a panel
whose call fails says so and the others still show."""
from __future__ import annotations

import re

import httpx
import pytest

from console import testing
from console.testing import visible_text
from supervision_answers import IDS, ORDER, SECOND_MINE, WARNING, order, warning

LATE_ID = "a1b2c3d4-0000-4000-8000-000000000043"
LATE = order("acknowledged", id=LATE_ID, code="ZG-20261115-0A1B2C", org_id=SECOND_MINE["id"], org=SECOND_MINE,
             due_date="2026-11-30", overdue=True, days_overdue=2, suspend_production=False)
BY_STATUS = {"issued": testing.page_of([order()], per_page=10, total=4),
             "acknowledged": testing.page_of([LATE], per_page=10, total=2),
             "reported": testing.page_of([], per_page=10, total=0)}


def orders_by_filter(request: httpx.Request) -> httpx.Response:
    if request.url.params.get("overdue") == "true":
        return httpx.Response(200, json=testing.page_of([LATE], per_page=10, total=1))
    return httpx.Response(200, json=BY_STATUS[request.url.params["status"]])


@pytest.fixture(autouse=True)
def answers(gateway):
    for path in ("/readiness", "/plans", "/drills", "/corrective-actions", "/alerts"):
        gateway.on("GET", path, testing.page_of([]))
    gateway.on("GET", "/rectification-orders", orders_by_filter)
    gateway.on("GET", "/warnings", testing.page_of([warning()], per_page=10))


def panel(html: str, name: str) -> str | None:
    found = re.search(rf'<section class="card panel" data-panel="{name}">(.*?)</section>', html, re.DOTALL)
    return found and found.group(1)


def count_of(html: str, name: str) -> str:
    return re.search(r'<span class="panel-count[^"]*">([^<]+)</span>', panel(html, name)).group(1)


def test_open_orders_are_counted_across_their_statuses_the_overdue_first_in_red(console):
    html = console.get("/").get_data(as_text=True)
    orders = panel(html, "open-orders")
    assert count_of(html, "open-orders") == "6"  # 4 issued + 2 acknowledged + 0 awaiting review
    assert "待整改指令" in html and "1 项已逾期" in visible_text(orders)
    assert 'href="/supervision/orders?overdue=true"' in orders
    codes = re.findall(r'<a href="/supervision/orders/([0-9a-f-]{36})">([^<]+)</a>', orders)
    assert codes == [(LATE_ID, "ZG-20261115-0A1B2C"), (ORDER, "ZG-20261202-3F9A1C")]
    late_row = re.search(r'<tr class="row-bad">.*?</tr>', orders, re.S).group(0)
    assert "ENT-MK-02 西岭煤矿" in visible_text(late_row) and "逾期 2 天" in visible_text(late_row)
    text = visible_text(orders)
    assert "ZG-20261202-3F9A1C 停产整顿 ENT-MK-01 东山煤矿 2026-12-20 已下达" in text
    assert "另有 4 条" in text


def test_the_home_page_asks_for_each_open_status_and_the_overdue(console, gateway):
    console.get("/")
    asked = [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/rectification-orders"]
    assert sorted(query.get("status", "") or "overdue=" + query["overdue"] for query in asked) == [
        "acknowledged", "issued", "overdue=true", "reported"]
    warnings = [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/warnings"]
    assert warnings == [{"page": "1", "status": "issued", "per_page": "10"}]


def test_warnings_in_force_show_their_level_and_how_many_have_not_acknowledged(console):
    html = console.get("/").get_data(as_text=True)
    warnings = panel(html, "live-warnings")
    assert count_of(html, "live-warnings") == "1" and "生效中的预警" in html
    assert f'<a href="/supervision/warnings/{WARNING}">YJ-20261202-7B2D4E</a>' in warnings
    assert '<span class="badge warning-level level-red">红色预警</span>' in warnings
    assert "暴雨" in visible_text(warnings) and "1 家企业" in visible_text(warnings)


def test_a_warning_everyone_acknowledged_says_so(console, gateway):
    gateway.on("GET", "/warnings", testing.page_of([warning(targets=[])], per_page=10))
    assert "均已叫应" in visible_text(panel(console.get("/").get_data(as_text=True), "live-warnings"))


def test_an_orders_call_that_fails_leaves_the_count_unknown_and_the_rest_shows(console, gateway):
    def reported_down(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("status") == "reported":
            return testing.problem(503, "the supervision service is unavailable")
        return orders_by_filter(request)

    gateway.on("GET", "/rectification-orders", reported_down)
    page = console.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "此项暂时无法加载" in panel(html, "open-orders") and count_of(html, "open-orders") == "—"
    assert "ZG-20261115-0A1B2C" in panel(html, "open-orders")  # what was read still shows
    assert "此项暂时无法加载" not in panel(html, "live-warnings")


def test_the_warnings_call_failing_says_so_in_its_panel_only(console, gateway):
    gateway.on("GET", "/warnings", testing.problem(503, "the supervision service is unavailable"))
    html = console.get("/").get_data(as_text=True)
    assert "此项暂时无法加载" in panel(html, "live-warnings") and count_of(html, "live-warnings") == "—"
    assert "此项暂时无法加载" not in panel(html, "open-orders")


def test_nothing_open_is_said_plainly(console, gateway):
    gateway.on("GET", "/rectification-orders", testing.page_of([]))
    gateway.on("GET", "/warnings", testing.page_of([]))
    html = console.get("/").get_data(as_text=True)
    assert "没有待整改的整改指令。" in panel(html, "open-orders") and count_of(html, "open-orders") == "0"
    assert "当前没有生效中的预警。" in panel(html, "live-warnings")


def test_no_record_id_shows_in_the_panels(console):
    text = visible_text(console.get("/").get_data(as_text=True))
    assert not [record_id for record_id in IDS if record_id in text] and LATE_ID not in text
