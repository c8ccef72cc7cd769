"""The plans to open for a warning (相关预案): the plan register asked with `activated_by=<warning>`, headed by the
warning's code, kind and level, linking back to it."""
from __future__ import annotations

import plans_answers

from console import testing
from console.testing import visible_text
from stock_pages import asked
from supervision_answers import WARNING, warning

PLANS = f"/plans/?activated_by={WARNING}"


def test_the_register_asks_the_plans_service_for_the_warnings_plans_and_says_whose_they_are(console, gateway):
    gateway.on("GET", "/plans", testing.page_of([plans_answers.plan(type="special")], per_page=20))
    gateway.on("GET", f"/warnings/{WARNING}", warning())
    page = console.get(PLANS)
    html = page.get_data(as_text=True)
    assert asked(gateway, "/plans")[-1]["activated_by"] == WARNING
    assert "预警 YJ-20261202-7B2D4E（暴雨，红色）应启动的预案" in visible_text(html)
    assert f'href="/supervision/warnings/{WARNING}"' in html and "返回预警" in visible_text(html)
    assert f'<input type="hidden" name="activated_by" value="{WARNING}">' in html  # the filters keep to it
    assert WARNING not in visible_text(html)


def test_no_matching_plan_is_said_for_the_warning(console, gateway):
    gateway.on("GET", "/plans", testing.page_of([], per_page=20))
    gateway.on("GET", f"/warnings/{WARNING}", warning())
    assert "没有与该预警类别相符的已批准专项应急预案。" in visible_text(console.get(PLANS).data)


def test_a_warning_that_cannot_be_read_still_heads_the_list_without_its_code(console, gateway):
    gateway.on("GET", "/plans", testing.page_of([], per_page=20))
    gateway.on("GET", f"/warnings/{WARNING}", testing.problem(503, "the supervision service is unavailable"))
    page = console.get(PLANS)
    assert page.status_code == 200 and "该预警应启动的预案" in visible_text(page.data)


def test_an_activated_by_that_is_no_id_is_no_filter(console, gateway):
    gateway.on("GET", "/plans", testing.page_of([], per_page=20))
    html = console.get("/plans/?activated_by=nonsense").get_data(as_text=True)
    assert "activated_by" not in asked(gateway, "/plans")[-1] and "应启动的预案" not in visible_text(html)
