"""The steps of a plan's life from its page: each form sends the API's JSON and comes back to the page; a 409 or a
422 is said beside the form in the page's language, never as a raw problem document."""
from __future__ import annotations

import httpx
import plans_answers as answers

from console import testing

PLAN_PAGE = f"/plans/{answers.PLAN_ID}"


def _step(path: str) -> str:
    """A step's address: the console's form posts to the same path the API takes it on."""
    return f"{PLAN_PAGE}/{path}"


def test_sending_a_draft_for_review_posts_submit_and_returns_to_the_plan(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    gateway.on("POST", _step("submit"), answers.draft_plan(status="in_review"))
    answer = testing.post_form(console, _step("submit"), {}, page=PLAN_PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == PLAN_PAGE
    assert gateway.sent("POST", _step("submit")) == [{}]
    assert "已提交审核" in answers.visible_text(console.get(PLAN_PAGE))


def test_approving_sends_who_signed_and_the_day(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"))
    gateway.on("POST", _step("approve"), answers.plan())
    answer = testing.post_form(console, _step("approve"), {"approved_by": " 张市长 ", "approved_at": "2025-06-01"},
                               page=PLAN_PAGE)
    assert answer.status_code == 302
    assert gateway.sent("POST", _step("approve")) == [{"approved_by": "张市长", "approved_at": "2025-06-01"}]


def test_approving_without_a_day_leaves_it_to_the_api(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"))
    gateway.on("POST", _step("approve"), answers.plan())
    testing.post_form(console, _step("approve"), {"approved_by": "张市长", "approved_at": ""}, page=PLAN_PAGE)
    assert gateway.sent("POST", _step("approve")) == [{"approved_by": "张市长"}]


def test_a_future_approval_day_refused_by_the_api_is_said_beside_its_field(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"))
    gateway.on("POST", _step("approve"), testing.problem(422, "Some fields are invalid.",
                                                         errors={"approved_at": ["Must not lie in the future."]}))
    answer = testing.post_form(console, _step("approve"), {"approved_by": "张市长", "approved_at": "2030-01-01"},
                               page=PLAN_PAGE)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<small class="error" data-field="approved_at">不得晚于今天。</small>' in html
    assert 'value="2030-01-01"' in html  # the form comes back as sent, open
    assert 'id="step-approve" open' in html


def test_an_illegal_step_is_said_in_words_beside_the_form_not_as_a_problem_document(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"))
    gateway.on("POST", _step("approve"), testing.problem(
        409, "Cannot approve from status 'draft'; only from in_review.", action="approve", current_status="draft",
        allowed_from=["in_review"], version=1))
    answer = testing.post_form(console, _step("approve"), {"approved_by": "张市长"}, page=PLAN_PAGE)
    assert answer.status_code == 409
    text = answers.visible_text(answer)
    assert "无法批准：第1版当前为“草稿”。" in text
    assert "current_status" not in text and "in_review." not in text and "{" not in text


def test_a_filing_sends_the_authority_day_and_number(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(filed_at=None, filing_overdue=True), filings=[])
    gateway.on("POST", _step("filings"), httpx.Response(201, json=answers.filing()))
    answer = testing.post_form(console, _step("filings"), {"authority": "省应急管理厅", "filed_at": "2025-06-20",
                                                          "reference_no": "备-2025-0031"}, page=PLAN_PAGE)
    assert answer.status_code == 302
    assert gateway.sent("POST", _step("filings")) == [
        {"authority": "省应急管理厅", "filed_at": "2025-06-20", "reference_no": "备-2025-0031"}]


def test_a_filing_missing_its_number_is_refused_before_anything_is_sent(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(filed_at=None), filings=[])
    answer = testing.post_form(console, _step("filings"), {"authority": "省应急管理厅", "filed_at": "2025-06-20"},
                               page=PLAN_PAGE)
    assert answer.status_code == 422
    assert 'data-field="reference_no"' in answer.get_data(as_text=True)
    assert gateway.sent("POST", _step("filings")) == []


def test_a_filing_before_the_approval_is_said_beside_the_day(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(filed_at=None), filings=[])
    gateway.on("POST", _step("filings"), testing.problem(422, "Some fields are invalid.", errors={
        "filed_at": ["Must not precede the approval of version 1 (2025-06-01)."]}))
    answer = testing.post_form(console, _step("filings"), {"authority": "省应急管理厅", "filed_at": "2025-05-01",
                                                          "reference_no": "备-1"}, page=PLAN_PAGE)
    assert answer.status_code == 422
    assert '<small class="error" data-field="filed_at">不得早于现行版本的批准日期。</small>' in \
        answer.get_data(as_text=True)


def test_a_revision_sends_one_of_the_six_triggers_and_its_note(console, gateway):
    answers.serve_plan(gateway)
    gateway.on("POST", _step("revisions"), httpx.Response(201, json=answers.revision(2)))
    answer = testing.post_form(console, _step("revisions"), {"reason": "drill_finding", "note": "疏散路线需调整"},
                               page=PLAN_PAGE)
    assert answer.status_code == 302
    assert gateway.sent("POST", _step("revisions")) == [{"reason": "drill_finding", "note": "疏散路线需调整"}]


def test_a_second_revision_while_one_is_open_is_refused_in_words(console, gateway):
    answers.serve_plan(gateway)
    gateway.on("POST", _step("revisions"), testing.problem(
        409, "Version 2 is already open as a revision (draft); approve it before opening another.",
        current_status="draft", draft_version=2))
    answer = testing.post_form(console, _step("revisions"), {"reason": "other"}, page=PLAN_PAGE)
    assert answer.status_code == 409
    assert "第2版修订已在进行中（草稿），批准后才能启动新的修订。" in answers.visible_text(answer)


def test_retiring_needs_the_box_ticked_and_sends_the_reason(console, gateway):
    answers.serve_plan(gateway)
    gateway.on("POST", _step("retire"), answers.plan(status="retired"))
    refused = testing.post_form(console, _step("retire"), {"retirement_reason": "机构撤并"}, page=PLAN_PAGE)
    assert refused.status_code == 422 and "请勾选以确认" in answers.visible_text(refused)
    assert gateway.sent("POST", _step("retire")) == []
    done = testing.post_form(console, _step("retire"), {"retirement_reason": "机构撤并", "confirmed": "y"},
                             page=PLAN_PAGE)
    assert done.status_code == 302
    assert gateway.sent("POST", _step("retire")) == [{"reason": "机构撤并"}]


def test_a_step_on_a_plan_outside_the_persons_scope_is_the_not_found_page(console, gateway):
    gateway.on("POST", _step("submit"), testing.problem(404, "Plan not found."))
    answer = testing.post_form(console, _step("submit"), {}, page="/")
    assert answer.status_code == 404
