"""A plan's page: its facts and legal cycles, the open revision, versions, filings and readiness with item
names, its drills; the forms offered are only the steps its status allows, and only to those who write plans."""
from __future__ import annotations

import plans_answers as answers

from console import testing


def _forms_offered(page) -> set[str]:
    html = page.get_data(as_text=True)
    base = f'action="/plans/{answers.PLAN_ID}/'
    return {step for step in ("submit", "approve", "retire", "filings", "revisions") if base + step + '"' in html}


def test_an_approved_plan_shows_its_facts_cycles_versions_and_filings_by_name(console, gateway):
    answers.serve_plan(gateway)
    page = console.get(f"/plans/{answers.PLAN_ID}")
    assert page.status_code == 200
    text = answers.visible_text(page)
    for shown in ("ZH-2026-01 市突发事件总体应急预案", "已批准", "综合应急预案", "ROOT 市应急管理局", "李局长",
                  "自然灾害", "2025-06-01，张市长签发",  # approved at 16:00 UTC: the next day in Asia/Shanghai
                  "最近演练 2025-06-10", "下次演练期限 2026-06-10", "评估期限 2028-06-01", "已逾期",
                  "省应急管理厅", "备-2025-0031", "首个版本"):
        assert shown in text, shown
    assert answers.shows_no_ids(page)


def test_readiness_names_each_item_with_required_available_and_shortfall(console, gateway):
    answers.serve_plan(gateway)
    page = console.get(f"/plans/{answers.PLAN_ID}")
    text = answers.visible_text(page)
    assert "物资不足" in text
    assert "WAT-001 瓶装饮用水 200 箱 500 箱 —" in text
    assert "KAYAK-01 冲锋舟 4 艘 2 艘 2 艘" in text
    assert 'class="short"' in page.get_data(as_text=True)


def test_an_item_the_plans_service_cannot_name_yet_is_named_from_the_catalog(console, gateway):
    unnamed = {"id": answers.RADIO["id"], "code": None, "name": None, "unit": None}
    ready = answers.readiness((answers.WATER, 1, 5))
    ready["lines"].append({"item_id": answers.RADIO["id"], "item": unnamed, "required": 10, "available": 0,
                           "shortfall": 10})
    answers.serve_plan(gateway, ready={**ready, "ready": False})
    gateway.on("GET", f"/items/{answers.RADIO['id']}", answers.catalog_item(answers.RADIO))
    page = console.get(f"/plans/{answers.PLAN_ID}")
    assert "RADIO-01 手持对讲机 10 台 0 台 10 台" in answers.visible_text(page)
    assert answers.shows_no_ids(page)


def test_a_ready_plan_says_so(console, gateway):
    answers.serve_plan(gateway, ready=answers.readiness((answers.WATER, 200, 500)))
    text = answers.visible_text(console.get(f"/plans/{answers.PLAN_ID}"))
    assert "所需物资与就绪情况 就绪" in text


def test_the_plan_links_to_its_drills_and_to_scheduling_one(console, gateway):
    answers.serve_plan(gateway)
    html = console.get(f"/plans/{answers.PLAN_ID}").get_data(as_text=True)
    assert f'href="/drills/?plan_id={answers.PLAN_ID}"' in html
    assert f'href="/drills/new?plan_id={answers.PLAN_ID}"' in html


def test_an_approved_plan_offers_filing_revision_and_retirement_but_not_review(console, gateway):
    answers.serve_plan(gateway)
    page = console.get(f"/plans/{answers.PLAN_ID}")
    assert _forms_offered(page) == {"filings", "revisions", "retire"}
    text = answers.visible_text(page)
    for reason in ("法律法规变化", "应急指挥机构及职责调整", "面临的风险变化", "重要应急资源变化",
                   "演练和实际应对中发现问题", "其他"):
        assert reason in text, reason
    assert "编辑正文" not in text  # an approved version never changes


def test_a_draft_offers_only_sending_it_for_review_and_no_drill(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(), versions=[answers.version(1, status="draft")],
                       filings=[])
    page = console.get(f"/plans/{answers.PLAN_ID}")
    assert _forms_offered(page) == {"submit"}
    text = answers.visible_text(page)
    assert "编辑正文" in text and "编辑所需物资" in text
    assert "尚无备案记录" in text and "预案批准后开始计算周期" in text
    assert "/drills/new" not in page.get_data(as_text=True)


def test_a_plan_under_review_offers_approval(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"),
                       versions=[answers.version(1, status="in_review")], filings=[])
    assert _forms_offered(console.get(f"/plans/{answers.PLAN_ID}")) == {"approve"}


def test_an_open_revision_is_shown_and_its_review_offered_while_the_version_in_force_stands(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(draft_version=2),
                       versions=[answers.version(1), answers.revision(2)])
    page = console.get(f"/plans/{answers.PLAN_ID}")
    text = answers.visible_text(page)
    assert "修订中：第2版 草稿" in text
    assert "修订原因 面临的风险变化" in text and "新增地铁运营风险" in text
    assert "修订版获批准前，第1版继续有效" in text
    # The revision moves through review; the version in force can still be filed or retired, not revised again.
    assert _forms_offered(page) == {"submit", "filings", "retire"}


def test_a_retired_plan_offers_no_step(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(status="retired", retired_at="2026-01-05T02:00:00+00:00",
                                                    next_drill_due=None, evaluation_due=None, filing_due=None))
    page = console.get(f"/plans/{answers.PLAN_ID}")
    assert _forms_offered(page) == set()
    assert "已废止的预案无需演练、评估或备案" in answers.visible_text(page)


def test_a_viewer_reads_the_plan_without_any_form(anonymous, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "viewer"})
    testing.sign_in(anonymous)
    answers.serve_plan(gateway, answer=answers.draft_plan())
    page = anonymous.get(f"/plans/{answers.PLAN_ID}")
    assert page.status_code == 200
    assert _forms_offered(page) == set() and "编辑正文" not in answers.visible_text(page)


def test_a_plan_outside_the_persons_scope_is_not_found(console, gateway):
    gateway.on("GET", f"/plans/{answers.PLAN_ID}", testing.problem(404, "Plan not found."))
    answers.serve_plan(gateway)
    gateway.on("GET", f"/plans/{answers.PLAN_ID}", testing.problem(404, "Plan not found."))
    assert console.get(f"/plans/{answers.PLAN_ID}").status_code == 404


def test_a_version_page_shows_what_that_version_says_and_requires(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(draft_version=2))
    gateway.on("GET", f"/plans/{answers.PLAN_ID}/versions/2",
               answers.revision(2, requirements=[answers.line(answers.RADIO, 12.5)]))
    page = console.get(f"/plans/{answers.PLAN_ID}/versions/2")
    text = answers.visible_text(page)
    assert "第2版" in text and "面临的风险变化" in text and "RADIO-01 手持对讲机 12.5 台" in text
    assert answers.shows_no_ids(page)
