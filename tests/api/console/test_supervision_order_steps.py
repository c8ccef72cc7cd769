"""A rectification order's page: its facts, hazards and timeline; the mine's people sign for it (its registered
head or deputy in charge, chosen by name) and report it done; the inspector reviews it — failing the first review
with a new due date, passing the second. Each step is offered only to whose it is, at its status."""
from __future__ import annotations

import re

import pytest

from console import testing
from console.testing import visible_text
from supervision_answers import (FAN, IDS, MINE, MINE_ORG, ORDER, PROBE, SECOND_MINE, as_person, order)

PAGE = f"/supervision/orders/{ORDER}"
API = f"/rectification-orders/{ORDER}"


@pytest.fixture
def at(gateway):
    """Put the order at a status (with `changes`)."""
    def put(status: str, **changes) -> dict:
        found = order(status, **changes)
        gateway.on("GET", API, found)
        return found
    gateway.on("GET", f"/orgs/{MINE['id']}", MINE_ORG)
    return put


@pytest.fixture
def mine_deputy(console_app, gateway):
    """李安全, the mine's deputy in charge, signed in with the planner role of his own mine."""
    return as_person(console_app, gateway, role="planner", org=MINE, name="李安全")


@pytest.fixture
def inspector(console_app, gateway):
    return as_person(console_app, gateway, role="inspector")


def step(client, name: str, data: dict):
    return testing.post_form(client, f"{PAGE}/{name}", data, page=PAGE)


def test_the_page_shows_the_order_its_hazards_and_what_happened_in_chinese(console, at):
    at("closed")
    html = console.get(PAGE).get_data(as_text=True)
    text = visible_text(html)
    assert "整改指令 ZG-20261202-3F9A1C 已销号 停产整顿" in text
    assert "企业 ENT-MK-01 东山煤矿 整改期限 2026-12-20 签发人 周监察 · 2026-12-02 10:00" in text
    assert "是：责令停产整顿，直至整改指令销号" in text and "签收人 李安全 · 分管领导" in text
    assert "立即停止井下作业，增设双回路供电，校验全部瓦斯探头。" in text
    assert f'<a href="/supervision/hazards/{FAN}">主通风机无备用电源</a>' in html and f"/supervision/hazards/{PROBE}" in html
    assert ("已下达 · 周监察 整改期限 2026-12-20 2026-12-02 13:00 签收 · 李安全（分管领导） "
            "2026-12-10 16:00 报告整改完成 2026-12-10 完成整改") in text
    assert "复查通过 · 周监察" in text and "销号 · 周监察" in text
    assert not [record_id for record_id in IDS if record_id in text]


def test_a_failed_review_shows_in_the_timeline_with_its_new_due_date(console, at):
    at("acknowledged", due_date="2027-01-10", reviews=[{
        "id": "e0000000-0000-4000-8000-000000000072", "reviewer": "周监察", "result": "failed",
        "note": "备用电源未完成切换试验", "previous_due_date": "2026-12-20", "new_due_date": "2027-01-10",
        "reviewed_at": "2026-12-11T02:00:00+00:00", "recorded_by": {"id": None, "name": "周监察"}}])
    text = visible_text(console.get(PAGE).data)
    assert "整改期限 2026-12-20" in text  # the first due date on the issue line
    assert "复查未通过 · 周监察 备用电源未完成切换试验 新的整改期限 2027-01-10" in text


def test_the_mines_deputy_signs_for_the_order_choosing_himself_among_those_registered(mine_deputy, gateway, at):
    at("issued")
    html = mine_deputy.get(PAGE).get_data(as_text=True)
    assert '<option value="principal\t王建国">王建国（矿长）· 一把手</option>' in html
    assert '<option value="deputy\t李安全">李安全（安全副矿长）· 分管领导</option>' in html
    gateway.on("POST", f"{API}/acknowledge", order("acknowledged"))
    answer = step(mine_deputy, "acknowledge", {"acknowledge-signer": "deputy\t李安全"})
    assert answer.status_code == 302 and answer.headers["Location"] == PAGE
    assert gateway.sent("POST", f"{API}/acknowledge") == [{"signed_by": "李安全", "position": "deputy"}]
    assert "整改指令 ZG-20261202-3F9A1C 已由 李安全 签收。" in visible_text(mine_deputy.get(PAGE).data)


def test_when_the_directory_does_not_answer_the_signer_is_typed_with_the_position(mine_deputy, gateway, at):
    at("issued")
    gateway.on("GET", f"/orgs/{MINE['id']}", testing.problem(403, "may not read organisations"))
    html = mine_deputy.get(PAGE).get_data(as_text=True)
    assert 'name="acknowledge-signed_by"' in html and '<option value="principal">一把手</option>' in html
    gateway.on("POST", f"{API}/acknowledge", order("acknowledged"))
    step(mine_deputy, "acknowledge", {"acknowledge-signed_by": " 王建国 ", "acknowledge-position": "principal"})
    assert gateway.sent("POST", f"{API}/acknowledge") == [{"signed_by": "王建国", "position": "principal"}]


def test_someone_not_registered_is_refused_beside_the_signer(mine_deputy, gateway, at):
    at("issued")
    gateway.on("GET", f"/orgs/{MINE['id']}", testing.problem(403, "may not read organisations"))
    gateway.on("POST", f"{API}/acknowledge", testing.problem(422, "Some fields are invalid.", errors={
        "signed_by": [f"张三 is not the deputy registered on organisation {MINE['id']}."]}))
    answer = step(mine_deputy, "acknowledge", {"acknowledge-signed_by": "张三", "acknowledge-position": "deputy"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "acknowledge-signed_by") == [
        "该姓名与单位登记的人员不符：须由单位登记的一把手或分管领导签收。"]
    assert MINE["id"] not in visible_text(answer.data)


def test_a_signer_chosen_from_the_list_and_refused_is_said_beside_the_list(mine_deputy, gateway, at):
    at("issued")
    gateway.on("POST", f"{API}/acknowledge", testing.problem(422, "Some fields are invalid.", errors={
        "signed_by": ["王建国 is no longer the head registered on the organisation."]}))
    answer = step(mine_deputy, "acknowledge", {"acknowledge-signer": "principal\t王建国"})
    assert testing.field_errors(answer.data, "acknowledge-signer") == [
        "该姓名与单位登记的人员不符：须由单位登记的一把手或分管领导签收。"]


def test_the_mine_reports_the_rectification_done(mine_deputy, gateway, at):
    at("acknowledged")
    assert 'name="report-completed_at" required type="date" value="' in mine_deputy.get(PAGE).get_data(as_text=True)
    gateway.on("POST", f"{API}/report", order("reported"))
    answer = step(mine_deputy, "report", {"report-measures": "已增设第二回路电源。", "report-completed_at": "2026-12-10"})
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/report") == [{"measures": "已增设第二回路电源。", "completed_at": "2026-12-10"}]


def test_the_inspector_fails_the_first_review_with_a_new_due_date(inspector, gateway, at):
    at("reported")
    gateway.on("POST", f"{API}/review", order("acknowledged", due_date="2027-01-10"))
    answer = step(inspector, "review", {"review-reviewer": "周监察", "review-result": "failed",
                                        "review-note": "备用电源未完成切换试验", "review-new_due_date": "2027-01-10"})
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/review") == [{"reviewer": "周监察", "result": "failed",
                                                      "note": "备用电源未完成切换试验", "new_due_date": "2027-01-10"}]
    at("acknowledged", due_date="2027-01-10")
    assert "整改指令 ZG-20261202-3F9A1C 复查未通过，已退回企业，新的整改期限为 2027-01-10。" in visible_text(
        inspector.get(PAGE).data)


def test_a_failed_review_without_a_new_due_date_is_refused_beside_it(inspector, gateway, at):
    at("reported")
    answer = step(inspector, "review", {"review-reviewer": "周监察", "review-result": "failed"})
    assert answer.status_code == 422 and not gateway.sent("POST", f"{API}/review")
    assert testing.field_errors(answer.data, "review-new_due_date") == ["复查未通过时，请填写新的整改期限。"]


def test_the_second_review_passes_and_closes_the_order_sending_no_due_date(inspector, gateway, at):
    at("reported")
    gateway.on("POST", f"{API}/review", order("closed"))
    step(inspector, "review", {"review-reviewer": "周监察", "review-result": "passed",
                               "review-new_due_date": "2027-01-10"})
    assert gateway.sent("POST", f"{API}/review") == [{"reviewer": "周监察", "result": "passed"}]
    assert "整改指令 ZG-20261202-3F9A1C 复查通过，已销号。" in visible_text(inspector.get(PAGE).data)


def test_a_step_someone_else_took_first_is_said_with_the_status_it_stands_at(inspector, gateway, at):
    at("reported")
    gateway.on("POST", f"{API}/review", testing.problem(
        409, "Cannot review from status 'closed'; only from reported.", action="review", current_status="closed",
        allowed_from=["reported"]))
    gateway.on("GET", API, order("closed"))
    answer = step(inspector, "review", {"review-reviewer": "周监察", "review-result": "passed"})
    assert answer.status_code == 409
    assert "当前无法办理此步骤：状态已是“已销号”。请刷新页面查看变化。" in visible_text(answer.data)
    assert "Cannot review" not in visible_text(answer.data)


def offered_steps(client) -> list[str]:
    """The steps whose form the order's page offers."""
    return re.findall(rf'<form method="post" action="{PAGE}/(\w+)#step"', client.get(PAGE).get_data(as_text=True))


@pytest.mark.parametrize(("status", "offered"), [("issued", ["acknowledge"]), ("acknowledged", ["report"]),
                                                 ("reported", []), ("closed", [])])
def test_the_mines_people_are_offered_their_step_at_its_status_only(mine_deputy, at, status, offered):
    at(status)
    assert offered_steps(mine_deputy) == offered


@pytest.mark.parametrize(("status", "offered"), [("issued", []), ("acknowledged", []), ("reported", ["review"])])
def test_the_inspector_is_offered_the_review_only_once_reported(inspector, at, status, offered):
    at(status)
    assert offered_steps(inspector) == offered
    if offered:
        assert "复查整改情况" in visible_text(inspector.get(PAGE).data)


def test_another_enterprises_people_and_a_viewer_get_no_form_and_may_not_post(console_app, gateway, at):
    at("issued")
    for person in (as_person(console_app, gateway, role="logistics", org=SECOND_MINE, name="孙调度"),
                   as_person(console_app, gateway, role="viewer")):
        assert offered_steps(person) == []
        assert step(person, "acknowledge", {"acknowledge-signer": "deputy\t李安全"}).status_code == 403
    assert not gateway.sent("POST", f"{API}/acknowledge")


def test_a_closed_order_offers_the_inspector_a_look_back(inspector, at):
    at("closed")
    assert f'href="/supervision/follow-ups/new?order_id={ORDER}"' in inspector.get(PAGE).get_data(as_text=True)


def test_an_order_reissued_after_a_relapse_links_to_the_one_before(console, at):
    at("issued", relapse_of_id="a1b2c3d4-0000-4000-8000-000000000040")
    html = console.get(PAGE).get_data(as_text=True)
    assert 'href="/supervision/orders/a1b2c3d4-0000-4000-8000-000000000040"' in html
    assert "回头看发现问题反弹的原整改指令" in visible_text(html)
