"""A warning's page: its level in colour, the counts by status, each enterprise's acknowledgement and report
(东山煤矿 evacuated 23; 西岭煤矿 never answered and shows 叫应超时), the plans to open for it; an enterprise answers
on its own target — acknowledge, report, resume — and the inspector lifts the warning with its summary."""
from __future__ import annotations

import re

import pytest

from console import testing
from console.testing import visible_text
from supervision_answers import IDS, MINE, SECOND_MINE, WARNING, as_person, target, warning

PAGE = f"/supervision/warnings/{WARNING}"
API = f"/warnings/{WARNING}"
MINE_TARGET = f"{PAGE}/targets/{MINE['id']}"


@pytest.fixture
def at(gateway):
    """The warning as the signed-in person sees it (with `targets`, or the bureau's two)."""
    def put(status: str = "issued", targets=None, **changes) -> dict:
        found = warning(status, targets, **changes)
        gateway.on("GET", API, found)
        return found
    return put


@pytest.fixture
def mine_duty(console_app, gateway):
    """The mine's duty dispatcher, a logistics user of 东山煤矿: sees only the mine's own target."""
    return as_person(console_app, gateway, role="logistics", org=MINE, name="陈明")


def forms_on(client) -> list[str]:
    return re.findall(rf'<form method="post" action="{PAGE}/([\w/-]+?)#', client.get(PAGE).get_data(as_text=True))


def test_the_page_says_what_the_warning_is_with_its_level_in_colour(console, at):
    at()
    html = console.get(PAGE).get_data(as_text=True)
    text = visible_text(html)
    assert "暴雨预警 YJ-20261202-7B2D4E 红色预警 生效中" in text
    assert '<span class="badge warning-level level-red">红色预警</span>' in html
    assert "指令 停产撤人 有效期 2026-12-02 14:00 至 2026-12-03 14:00 区县 浦东新区、闵行区 涉及行业 矿山" in text
    assert "叫应时限 发送后 30 分钟内 签发人 市局总值班室 刘洋 · ROOT 市应急管理局" in text
    assert "预计未来24小时我市东部将出现大暴雨" in text
    assert not [record_id for record_id in IDS if record_id in text]


def test_the_counts_and_each_enterprises_answer_are_shown(console, at):
    at()
    html = console.get(PAGE).get_data(as_text=True)
    text = visible_text(html)
    assert "待叫应 1 已叫应 0 已反馈 1 已复工 0" in text
    assert ("ENT-MK-01 东山煤矿 已反馈 2026-12-02 14:30 值班调度 陈明 · 2026-12-02 14:12 2026-12-02 14:40 23 86.5 "
            "井下人员全部升井 2026-12-02 15:05 反馈") in text
    row = re.search(r'<tr class="target-row ack-overdue">.*?</tr>', html, re.S).group(0)
    assert "ENT-MK-02 西岭煤矿" in visible_text(row) and "叫应超时" in visible_text(row)


def test_those_that_never_acknowledged_are_listed_and_marked_overdue(console, at):
    at("closed", summary="东山煤矿撤离23人，西岭煤矿未叫应，已移交执法。", closed_at="2026-12-03T07:00:00+00:00")
    text = visible_text(console.get(PAGE).data)
    assert "未叫应 ENT-MK-02 西岭煤矿 叫应超时 以上企业始终未叫应。" in text
    assert "已解除" in text and "总结 东山煤矿撤离23人，西岭煤矿未叫应，已移交执法。" in text


def test_the_related_plans_link_lists_the_plans_to_open_for_this_warning(console, at):
    at()
    assert f'<a class="button" href="/plans/?activated_by={WARNING}">相关预案</a>' in console.get(PAGE).get_data(
        as_text=True)


def test_the_inspector_lifts_the_warning_with_its_summary(console, gateway, at):
    at()
    gateway.on("POST", f"{API}/close", warning("closed"))
    answer = testing.post_form(console, f"{PAGE}/close", {"close-summary": "东山煤矿撤离23人。"}, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == PAGE
    assert gateway.sent("POST", f"{API}/close") == [{"summary": "东山煤矿撤离23人。"}]
    at("closed")
    assert "预警 YJ-20261202-7B2D4E 已解除，1 家企业始终未叫应。" in visible_text(console.get(PAGE).data)


def test_lifting_twice_is_said_in_words_with_the_form_gone(console, gateway, at):
    at()
    gateway.on("POST", f"{API}/close", testing.problem(
        409, "Cannot close from status 'closed'; only from issued.", action="close", current_status="closed"))
    gateway.on("GET", API, warning("closed"))
    answer = testing.post_form(console, f"{PAGE}/close", {"close-summary": "结束"}, page=PAGE)
    assert answer.status_code == 409
    assert "当前无法办理此步骤：状态已是“已解除”。" in visible_text(answer.data)
    assert f'action="{PAGE}/close' not in answer.get_data(as_text=True)


def test_a_summary_is_required_to_lift_it(console, gateway, at):
    at()
    answer = testing.post_form(console, f"{PAGE}/close", {"close-summary": ""}, page=PAGE)
    assert answer.status_code == 422 and not gateway.sent("POST", f"{API}/close")
    assert testing.field_errors(answer.data, "close-summary") == ["此项为必填项。"]
    assert '<details class="form-panel close-warning" id="close" open>' in answer.get_data(as_text=True)


def test_the_mine_acknowledges_on_its_own_target(mine_duty, gateway, at):
    at(targets=[target(MINE)])
    assert forms_on(mine_duty) == [f"targets/{MINE['id']}/acknowledge"]
    gateway.on("POST", f"{API}/targets/{MINE['id']}/acknowledge", warning(targets=[target(MINE, "acknowledged")]))
    answer = testing.post_form(mine_duty, f"{MINE_TARGET}/acknowledge", {"acknowledge-by": "值班调度 陈明"}, page=PAGE)
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/targets/{MINE['id']}/acknowledge") == [{"by": "值班调度 陈明"}]
    assert "预警 YJ-20261202-7B2D4E 已叫应。" in visible_text(mine_duty.get(PAGE).data)


def test_the_mine_reports_it_stopped_and_evacuated_23(mine_duty, gateway, at):
    at(targets=[target(MINE, "acknowledged")])
    assert "预警指令为停产撤人：请反馈停产时间和撤离人数。" in visible_text(mine_duty.get(PAGE).data)
    gateway.on("POST", f"{API}/targets/{MINE['id']}/report", warning(targets=[target(MINE, "reported")]))
    testing.post_form(mine_duty, f"{MINE_TARGET}/report", {
        "report-stopped_at": "2026-12-02T14:40", "report-evacuated_count": "23", "report-rainfall_mm": "86.5",
        "report-note": "井下人员全部升井"}, page=PAGE)
    assert gateway.sent("POST", f"{API}/targets/{MINE['id']}/report") == [{
        "stopped_at": "2026-12-02T14:40:00+08:00", "evacuated_count": 23, "rainfall_mm": 86.5,
        "note": "井下人员全部升井"}]


def test_a_report_of_nobody_evacuated_sends_zero_and_leaves_out_what_was_not_typed(mine_duty, gateway, at):
    at(targets=[target(MINE, "acknowledged")])
    gateway.on("POST", f"{API}/targets/{MINE['id']}/report", warning(targets=[target(MINE, "reported")]))
    testing.post_form(mine_duty, f"{MINE_TARGET}/report", {"report-evacuated_count": "0"}, page=PAGE)
    assert gateway.sent("POST", f"{API}/targets/{MINE['id']}/report") == [{"evacuated_count": 0}]


def test_a_stop_reported_in_the_future_is_refused_beside_it(mine_duty, gateway, at):
    at(targets=[target(MINE, "acknowledged")])
    gateway.on("POST", f"{API}/targets/{MINE['id']}/report", testing.problem(
        422, "Some fields are invalid.", errors={"stopped_at": ["Must not lie in the future."]}))
    answer = testing.post_form(mine_duty, f"{MINE_TARGET}/report", {"report-stopped_at": "2099-01-01T00:00"},
                               page=PAGE)
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "report-stopped_at") == ["不得晚于当前时间。"]


def test_the_mine_reports_resuming_production(mine_duty, gateway, at):
    at(targets=[target(MINE, "reported")])
    assert 'name="resume-resumed_at" required type="datetime-local" value="20' in mine_duty.get(PAGE).get_data(
        as_text=True)
    gateway.on("POST", f"{API}/targets/{MINE['id']}/resume", warning(targets=[target(MINE, "resumed")]))
    testing.post_form(mine_duty, f"{MINE_TARGET}/resume", {"resume-resumed_at": "2026-12-03T08:00"}, page=PAGE)
    assert gateway.sent("POST", f"{API}/targets/{MINE['id']}/resume") == [
        {"resumed_at": "2026-12-03T08:00:00+08:00"}]


def test_an_answer_after_the_warning_was_lifted_is_said_in_words(mine_duty, gateway, at):
    at(targets=[target(MINE, "acknowledged")])
    gateway.on("POST", f"{API}/targets/{MINE['id']}/report", testing.problem(
        409, "The warning is closed: it takes no report any more.", action="report", warning_status="closed"))
    answer = testing.post_form(mine_duty, f"{MINE_TARGET}/report", {"report-evacuated_count": "23"}, page=PAGE)
    assert answer.status_code == 409
    assert "该预警已解除，不再接收回复。" in visible_text(answer.data)


def test_a_lifted_warning_and_a_resumed_target_offer_no_more_answers(mine_duty, at):
    at("closed", targets=[target(MINE, "acknowledged")])
    assert forms_on(mine_duty) == []
    at(targets=[target(MINE, "resumed")])
    assert forms_on(mine_duty) == []


def test_the_enterprises_people_are_offered_no_close_and_the_bureau_no_answer(console, mine_duty, at):
    at(targets=[target(MINE), target(SECOND_MINE)])
    assert forms_on(mine_duty) == [f"targets/{MINE['id']}/acknowledge"]
    assert forms_on(console) == ["close"]
    assert testing.post_form(mine_duty, f"{PAGE}/close", {"close-summary": "x"}, page=PAGE).status_code == 403
    assert testing.post_form(mine_duty, f"{PAGE}/targets/{SECOND_MINE['id']}/acknowledge",
                             {"acknowledge-by": "x"}, page=PAGE).status_code == 403


def test_a_viewer_reads_the_warning_and_sends_nothing(console_app, gateway, at):
    at()
    viewer = as_person(console_app, gateway, role="viewer", org=MINE)
    assert forms_on(viewer) == []
    assert "YJ-20261202-7B2D4E" in visible_text(viewer.get(PAGE).data)
