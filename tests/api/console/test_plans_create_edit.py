"""Registering a plan and editing its text: the JSON sent, the organisation chooser, a taken code beside its field,
only the changed fields sent with the ETag read, and a change someone saved in between never overwritten."""
from __future__ import annotations

import httpx
import plans_answers as answers

from console import testing

FORM = {"code": "ZX-2026-03", "title": "危险化学品泄漏专项应急预案", "type": "special",
        "hazard_types": "危险化学品泄漏、火灾, 爆炸", "owner_org": "市应急管理局", "owner": "赵处长",
        "summary": "适用于本市危险化学品泄漏事故的应急处置。"}
EDIT_PAGE = f"/plans/{answers.PLAN_ID}/edit"


def _directory(gateway):
    gateway.on("GET", "/orgs", testing.page_of([{**answers.ROOT, "path": "/ROOT/", "kind": "bureau"},
                                                {**answers.ENTERPRISE, "path": "/ROOT/ENT-001/", "kind": "enterprise"}]))


def test_registering_a_plan_sends_its_text_with_the_hazards_as_a_list(console, gateway):
    _directory(gateway)
    gateway.on("POST", "/plans", httpx.Response(201, json=answers.draft_plan(id=answers.OTHER_PLAN_ID,
                                                                             code="ZX-2026-03")))
    answer = testing.post_form(console, "/plans/new", FORM)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/plans/{answers.OTHER_PLAN_ID}"
    assert gateway.sent("POST", "/plans") == [{
        "code": "ZX-2026-03", "title": "危险化学品泄漏专项应急预案", "type": "special",
        "hazard_types": ["危险化学品泄漏", "火灾", "爆炸"], "owner_org": "市应急管理局", "owner": "赵处长",
        "summary": "适用于本市危险化学品泄漏事故的应急处置。"}]


def test_the_form_offers_the_organisations_below_by_code_and_name_and_sends_the_one_chosen(console, gateway):
    _directory(gateway)
    page = console.get("/plans/new")
    text = answers.visible_text(page)
    assert "本单位（市应急管理局）" in text and "ENT-001 华东化工有限公司" in text
    assert 'value="市应急管理局"' in page.get_data(as_text=True)  # drawn up by: the person's organisation
    assert answers.shows_no_ids(page)
    gateway.on("POST", "/plans", httpx.Response(201, json=answers.draft_plan()))
    testing.post_form(console, "/plans/new", {**FORM, "org_id": answers.ENTERPRISE["id"]})
    assert gateway.sent("POST", "/plans")[0]["org_id"] == answers.ENTERPRISE["id"]


def test_someone_who_may_not_read_the_directory_registers_for_their_own_organisation(console, gateway):
    gateway.on("GET", "/orgs", testing.problem(403, "Your role may not read organisations."))
    page = console.get("/plans/new")
    assert page.status_code == 200 and 'name="org_id"' not in page.get_data(as_text=True)
    gateway.on("POST", "/plans", httpx.Response(201, json=answers.draft_plan()))
    testing.post_form(console, "/plans/new", FORM)
    assert "org_id" not in gateway.sent("POST", "/plans")[0]


def test_a_taken_code_is_said_beside_the_code(console, gateway):
    _directory(gateway)
    gateway.on("POST", "/plans", testing.problem(409, "A plan with code 'ZX-2026-03' already exists.", field="code"))
    answer = testing.post_form(console, "/plans/new", FORM)
    assert answer.status_code == 409
    assert '<small class="error" data-field="code">该编号已被其他预案使用。</small>' in answer.get_data(as_text=True)


def test_the_apis_field_messages_sit_beside_their_fields(console, gateway):
    _directory(gateway)
    gateway.on("POST", "/plans", testing.problem(422, "Some fields are invalid: owner", errors={
        "owner": ["Missing data for required field."]}))
    answer = testing.post_form(console, "/plans/new", FORM)
    assert answer.status_code == 422
    assert '<small class="error" data-field="owner">' in answer.get_data(as_text=True)


def test_a_form_missing_its_title_is_refused_before_anything_is_sent(console, gateway):
    _directory(gateway)
    answer = testing.post_form(console, "/plans/new", {**FORM, "title": ""})
    assert answer.status_code == 422 and 'data-field="title"' in answer.get_data(as_text=True)
    assert gateway.sent("POST", "/plans") == []


def _editable(gateway, **changes):
    plan = answers.draft_plan(**changes)
    gateway.on("GET", f"/plans/{answers.PLAN_ID}", httpx.Response(200, json=plan, headers={"ETag": '"tag-1"'}))
    return plan


def test_editing_fills_the_form_and_sends_only_what_changed_with_the_etag_read(console, gateway):
    _editable(gateway)
    page = console.get(EDIT_PAGE)
    html = page.get_data(as_text=True)
    assert 'value="市突发事件总体应急预案"' in html and 'value="自然灾害、事故灾难"' in html
    assert '<input id="etag" name="etag" type="hidden" value="&#34;tag-1&#34;">' in html
    gateway.on("PATCH", f"/plans/{answers.PLAN_ID}", answers.draft_plan(owner="钱局长"))
    answer = testing.post_form(console, EDIT_PAGE, {
        "code": "ZH-2026-01", "title": "市突发事件总体应急预案", "type": "comprehensive",
        "hazard_types": "自然灾害，事故灾难", "owner_org": "市应急管理局", "owner": "钱局长",
        "summary": "规定全市突发事件的组织体系、运行机制和保障措施。", "etag": '"tag-1"'})
    assert answer.status_code == 302
    assert gateway.sent("PATCH", f"/plans/{answers.PLAN_ID}") == [{"owner": "钱局长"}]
    patch = next(r for r in gateway.requests if r.method == "PATCH")
    assert patch.headers["If-Match"] == '"tag-1"'


def test_a_change_saved_by_someone_else_in_between_is_not_overwritten(console, gateway):
    _editable(gateway)
    gateway.on("PATCH", f"/plans/{answers.PLAN_ID}", testing.problem(412, "The record has changed since it was read."))
    answer = testing.post_form(console, EDIT_PAGE, {
        "code": "ZH-2026-01", "title": "新标题", "type": "comprehensive", "hazard_types": "",
        "owner_org": "市应急管理局", "owner": "李局长", "summary": "", "etag": '"old-tag"'})
    assert answer.status_code == 409
    text = answers.visible_text(answer)
    assert "有人修改了该预案，本次未保存" in text
    assert 'value="新标题"' in answer.get_data(as_text=True)  # what the person typed is kept


def test_an_open_revision_is_edited_from_its_own_text(console, gateway):
    _editable(gateway, status="approved", draft_version=2, approved_at="2025-05-31T16:00:00+00:00")
    gateway.on("GET", f"/plans/{answers.PLAN_ID}/versions/2", answers.revision(2, owner="孙主任"))
    page = console.get(EDIT_PAGE)
    html = page.get_data(as_text=True)
    assert 'value="孙主任"' in html and "您正在编辑修订版" in answers.visible_text(page)
    assert 'name="code" readonly' in html  # the code was fixed when the plan was first approved


def test_an_approved_version_without_a_revision_cannot_be_edited(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan())
    answer = console.get(EDIT_PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/plans/{answers.PLAN_ID}"
    assert "第1版已不能修改" in answers.visible_text(console.get(f"/plans/{answers.PLAN_ID}"))


def test_an_organisation_outside_the_persons_scope_is_refused_in_words(console, gateway):
    _directory(gateway)
    gateway.on("POST", "/plans", testing.problem(403, "The organisation lies outside the caller's scope."))
    answer = testing.post_form(console, "/plans/new", {**FORM, "org_id": answers.ENTERPRISE["id"]})
    assert answer.status_code == 403
    text = answers.visible_text(answer)
    assert "您无权执行此操作" in text and "caller's scope" not in text
