"""The plan register: every plan with its codes and names, status and version, due dates, filing and
compliance in colour; its filters and pages are passed to the API as asked."""
from __future__ import annotations

from urllib.parse import parse_qs

import plans_answers as answers

from console import testing


def _register(gateway, *plans, total=None, page=1):
    gateway.on("GET", "/plans", testing.page_of(list(plans), page=page, per_page=20, total=total))


def _asked(gateway) -> dict:
    call = [r for r in gateway.requests if r.url.path == "/api/v1/plans"][-1]
    return {key: values[0] for key, values in parse_qs(call.url.query.decode()).items()}


def test_the_register_lists_plans_by_code_and_name_with_their_dates_in_chinese(console, gateway):
    _register(gateway, answers.plan(), answers.draft_plan(id=answers.OTHER_PLAN_ID, code="XC-2026-07",
                                                          title="储罐区泄漏现场处置方案", type="onsite",
                                                          org=dict(answers.ENTERPRISE), owner_org="华东化工"))
    page = console.get("/plans/")
    assert page.status_code == 200
    text = answers.visible_text(page)
    for shown in ("应急预案", "ZH-2026-01", "市突发事件总体应急预案", "综合", "ROOT 市应急管理局", "已批准", "第1版",
                  "2025-06-01", "2025-06-10", "2026-06-10", "2028-06-01", "2025-06-20 已备案",
                  "XC-2026-07", "储罐区泄漏现场处置方案", "现场处置", "ENT-001 华东化工有限公司", "草稿"):
        assert shown in text, shown
    assert answers.shows_no_ids(page)
    assert f'href="/plans/{answers.PLAN_ID}"' in page.get_data(as_text=True)


def test_compliance_is_coloured_red_amber_or_green_and_a_draft_owes_none(console, gateway):
    _register(gateway, answers.plan(code="A-OVERDUE", compliance="overdue"),
              answers.plan(code="B-SOON", compliance="due_soon", next_drill_due="2099-01-01"),
              answers.plan(code="C-OK", compliance="ok"),
              answers.draft_plan(code="D-DRAFT"))
    html = console.get("/plans/").get_data(as_text=True)
    rows = {code: next(row for row in html.split("<tr") if f">{code}</a>" in row)
            for code in ("A-OVERDUE", "B-SOON", "C-OK", "D-DRAFT")}
    assert 'badge-bad status-overdue">已逾期' in rows["A-OVERDUE"]
    assert 'badge-warn status-due_soon">即将到期' in rows["B-SOON"]
    assert 'badge-ok status-ok">合规' in rows["C-OK"]
    assert "status-ok" not in rows["D-DRAFT"] and "compliance-none" in rows["D-DRAFT"]


def test_a_late_filing_and_an_open_revision_show_in_the_register(console, gateway):
    _register(gateway, answers.plan(filed_at=None, filing_overdue=True, draft_version=2, needs_revision=True))
    text = answers.visible_text(console.get("/plans/"))
    assert "逾期未备案 2025-06-27" in text
    assert "第2版修订中" in text
    assert "需修订" in text


def test_the_filters_and_the_page_are_passed_to_the_api(console, gateway):
    _register(gateway, answers.plan(), total=45, page=2)
    page = console.get("/plans/?type=special&status=approved&compliance=due_soon&filing_overdue=true"
                       "&q=%E5%8D%B1%E5%8C%96&page=2&per_page=20")
    assert _asked(gateway) == {"type": "special", "status": "approved", "compliance": "due_soon",
                               "filing_overdue": "true", "q": "危化", "page": "2", "per_page": "20"}
    html = page.get_data(as_text=True)
    assert '<option value="special" selected>' in html and 'value="危化"' in html
    # The pager moves the page and keeps the filters.
    assert "type=special&amp;status=approved&amp;compliance=due_soon&amp;filing_overdue=true" in html
    assert "page=1" in html and "page=3" in html


def test_a_filter_value_the_api_does_not_know_is_left_out_not_sent(console, gateway):
    _register(gateway, answers.plan())
    assert console.get("/plans/?type=nonsense&compliance=late&per_page=7&page=-1").status_code == 200
    assert _asked(gateway) == {"page": "1", "per_page": "20"}


def test_an_empty_register_says_so_and_offers_to_register_a_plan(console, gateway):
    _register(gateway)
    text = answers.visible_text(console.get("/plans/"))
    assert "尚未登记任何预案" in text and "登记预案" in text
    _register(gateway)
    assert "没有符合筛选条件的预案" in answers.visible_text(console.get("/plans/?status=retired"))


def test_the_register_speaks_english_on_request(console, gateway):
    _register(gateway, answers.plan())
    testing.post_form(console, "/language", {"lang": "en", "next": "/plans/"}, page="/plans/")
    text = answers.visible_text(console.get("/plans/"))
    assert "Emergency plans" in text and "Next drill due" in text and "Overdue" in text and "v1" in text
