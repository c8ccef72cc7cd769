"""The planner story, through the pages only: a planner registers a plan with the resources it requires, sends it
for review and approves it, schedules a drill of it that turns ready once the depots hold its resources, runs it,
evaluates it against the five AQ/T 9009 criteria, records a finding, and on the corrective-actions board reports
the action done and verifies it (回头看); the plan then shows when it was last drilled."""
from __future__ import annotations

import re

import pytest

from tests.browser.browsers import sync_api
from tests.browser.people import seed_person, sign_in
from tests.browser.steps import (
    choose,
    days_from_today,
    flashed,
    path_of,
    reload_until_visible,
    send,
    unique,
)

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANNER = "张伟"
COMPANY = "张江科技园区物业管理有限公司"
PLAN_TITLE = "园区火灾事故专项应急预案"
MASKS = "过滤式消防自救呼吸器"
SCORES = {"预案适用性": "4", "演练准备": "5", "指挥协调": "4", "应急处置": "3", "装备物资": "4"}
FINDING = "3 号楼东侧疏散楼梯前室堆放杂物，疏散用时超出预案要求 2 分钟"
ACTION = "清理全部疏散通道，设置禁止堆放标识，每周由安全员巡查并记录"


def stock_the_company_depot(api, org_code: str, item: str) -> None:
    """What the logistics story does through the pages (its own test): a depot of the planner's company holding
    the masks the plan requires. Seeded with the admin key, as the planner does not keep stock."""
    depot = api.post("/warehouses", json={"code": unique("ZJ"), "name": "张江园区微型消防站", "level": "enterprise",
                                          "org_code": org_code})
    assert depot.status_code == 201, depot.text
    masks = api.post("/items", json={"code": item, "name": MASKS, "category_code": "20102", "unit": "具",
                                     "kind": "material"})
    assert masks.status_code == 201, masks.text
    received = api.post("/stock/receipts", json={"warehouse_id": depot.json()["id"], "item_id": masks.json()["id"],
                                                 "quantity": 50, "batch_no": f"{item}-2026", "expiry_date":
                                                 days_from_today(900)})
    assert received.status_code == 201, received.text


def last_drilled(page):
    """What the plan page's legal cycles say of the plan's last drill."""
    return page.locator("#dues-heading + dl dt:text-is('最近演练') + dd")


def register_plan(page, code: str, item: str) -> str:
    """The register's button, the plan's form, then its required resources; the plan page's path."""
    page.goto("/plans/")
    with page.expect_navigation():
        page.get_by_role("link", name="登记预案").click()
    form = page.locator("main form")
    form.get_by_label("预案编号", exact=True).fill(code)
    form.get_by_label("名称", exact=True).fill(PLAN_TITLE)
    form.get_by_label("预案类型", exact=True).select_option("special")
    form.get_by_label("风险类型", exact=True).fill("火灾、人员密集场所踩踏")
    expect(form.get_by_label("编制单位", exact=True)).to_have_value(COMPANY)  # most plans are their owner's
    form.get_by_label("负责人", exact=True).fill(PLANNER)
    form.get_by_label("内容摘要", exact=True).fill("园区办公楼及地下车库火灾的预警、报告、疏散与先期处置。")
    assert send(page, form.get_by_role("button", name="登记预案")).ok
    expect(flashed(page)).to_have_text(f"预案 {code} 已登记，当前为第1版草稿。")
    plan_path = path_of(page)

    with page.expect_navigation():
        page.locator("nav.actions").get_by_role("link", name="编辑所需物资").click()
    lines = page.locator("form.requirement-lines")
    choose(lines.locator("[name='lines-0-item_id']"), item)
    lines.locator("[name='lines-0-quantity']").fill("20")
    assert send(page, lines.get_by_role("button", name="保存清单")).ok
    expect(flashed(page)).to_have_text("第1版所需物资已保存。")
    return plan_path


def approve(page, plan_path: str) -> None:
    """Sent for review, then signed by the head of unit: the plan comes into force."""
    assert send(page, page.locator("#step-submit").get_by_role("button", name="提交审核")).ok
    expect(flashed(page)).to_have_text("已提交审核。")
    expect(page.locator(".page-head .status-in_review")).to_be_visible()
    form = page.locator("#step-approve form")
    form.get_by_label("签发人（单位主要负责人）", exact=True).fill("李建国")
    assert send(page, form.get_by_role("button", name="批准")).ok
    expect(flashed(page)).to_have_text("已批准：该版本现已生效。")
    assert path_of(page) == plan_path
    expect(page.locator(".page-head .status-approved")).to_be_visible()


def schedule_drill(page, title: str, item: str) -> str:
    """The plan page's "schedule a drill" (the plan chosen already); the drill's page, its path."""
    with page.expect_navigation():
        page.locator("nav.actions").get_by_role("link", name="安排演练").click()
    form = page.locator("form.drill-form")
    expect(form.locator("[name=plan_id] option:checked")).to_contain_text(PLAN_TITLE)
    form.get_by_label("演练名称", exact=True).fill(title)
    form.get_by_label("演练形式", exact=True).select_option("live")
    form.get_by_label("演练规模", exact=True).select_option("single")
    form.get_by_label("开始时间", exact=True).fill(f"{days_from_today(7)}T09:30")
    form.get_by_label("结束时间", exact=True).fill(f"{days_from_today(7)}T11:30")
    form.get_by_label("演练地点", exact=True).fill("张江园区 3 号楼及东侧广场")
    form.get_by_label("组织单位", exact=True).fill(f"{COMPANY}安全保卫部")
    form.locator("[name='resources-0-item_code']").fill(item)
    form.locator("[name='resources-0-quantity']").fill("10")
    assert send(page, form.get_by_role("button", name="安排演练")).ok
    expect(flashed(page)).to_have_text("演练已安排，正在预留所需物资。")
    return path_of(page)


def run_the_drill(page, item: str) -> None:
    """Start the ready drill, then complete it with what it used of what was held for it."""
    assert send(page, page.get_by_role("button", name="开始演练")).ok
    expect(flashed(page)).to_have_text("演练已开始。")
    expect(page.locator("#drill-page h1 .status-in_progress")).to_have_text("进行中")

    form = page.locator("form.complete-form")
    expect(form.locator("tbody tr")).to_contain_text([f"{item} {MASKS}"])
    form.locator("[name='consumed-0-quantity']").fill("6")
    form.get_by_label("参演人数", exact=True).fill("46")
    form.get_by_label("演练总结", exact=True).fill("发现火情后 4 分钟内完成报警，8 分钟内疏散 3 号楼全部人员。")
    assert send(page, form.get_by_role("button", name="完成演练")).ok
    expect(flashed(page)).to_have_text("演练已完成，未使用的物资已退回储备库。")
    expect(page.locator("#drill-page h1 .status-completed")).to_have_text("已完成")
    expect(page.locator("#resources tbody tr").first.locator("td")).to_have_text([f"{item} {MASKS}", "10 具", "6 具"])


def evaluate(page) -> None:
    """The five AQ/T 9009 scores and the overall rating; shown with their average once recorded."""
    form = page.locator("form.evaluation-form")
    for criterion, score in SCORES.items():
        form.get_by_label(criterion, exact=True).select_option(score)
    form.get_by_label("总体评价", exact=True).select_option("good")
    form.get_by_label("评估人", exact=True).fill("浦东新区应急管理局 王强")
    form.get_by_label("评估意见", exact=True).fill("报警及时，疏散组织有序；楼梯前室堆放杂物影响疏散。")
    assert send(page, form.get_by_role("button", name="提交评估")).ok
    expect(flashed(page)).to_have_text("评估已记录。")
    expect(page.locator("#evaluation table.scores tbody td.number")).to_have_text(list(SCORES.values()))
    expect(page.locator("#evaluation tfoot th.number")).to_have_text(re.compile(r"^4(\.0+)?$"))
    expect(page.locator("#evaluation .rating-good")).to_have_text("良好")


def record_finding(page) -> None:
    """A finding with the corrective action it calls for; the action starts open."""
    form = page.locator("form.finding-form")
    form.get_by_label("问题描述", exact=True).fill(FINDING)
    form.get_by_label("严重程度", exact=True).select_option("medium")
    form.get_by_label("整改责任人", exact=True).fill("园区安全员 赵磊")
    form.get_by_label("整改期限", exact=True).fill(days_from_today(30))
    form.get_by_label("整改措施内容", exact=True).fill(ACTION)
    assert send(page, form.get_by_role("button", name="记录问题")).ok
    expect(flashed(page)).to_have_text("问题已记录。")
    finding = page.locator("#findings li.finding")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text(FINDING)
    expect(finding.locator(".action-summary .status-open")).to_have_text("待整改")


def close_the_action(page) -> None:
    """On the board (opened from the drill's findings): report the action done, then verify it (回头看)."""
    with page.expect_navigation():
        page.locator("#findings").get_by_role("link", name="在整改跟踪中查看这些措施").click()
    card = page.locator("section.column-open article.action", has_text=ACTION)
    card.get_by_role("textbox").fill("已清理 3 号楼全部疏散通道，张贴禁止堆放标识 12 处，建立每周巡查记录。")
    assert send(page, card.get_by_role("button", name="报告整改完成")).ok
    expect(flashed(page)).to_have_text("已报告整改完成。")

    card = page.locator("section.column-done article.action", has_text=ACTION)
    card.get_by_label("验证人", exact=True).fill("浦东新区应急管理局 王强")
    card.get_by_label("回头看情况", exact=True).fill("现场复查，疏散通道保持畅通，巡查记录完整。")
    assert send(page, card.get_by_role("button", name="回头看验证")).ok
    expect(flashed(page)).to_have_text("整改措施已通过回头看验证。")
    verified = page.locator("section.column-verified article.action", has_text=ACTION)
    expect(verified).to_contain_text("浦东新区应急管理局 王强")
    expect(page.locator("section.column-open article.action", has_text=ACTION)).to_have_count(0)
    expect(page.locator("section.column-done article.action", has_text=ACTION)).to_have_count(0)


def test_a_planner_approves_a_plan_drills_it_evaluates_it_and_closes_the_corrective_action(page, api):
    planner = seed_person(api, display_name=PLANNER, role="planner", org_name=COMPANY)
    item = unique("MASK")
    stock_the_company_depot(api, planner.org["code"], item)
    sign_in(page, planner.username, planner.password)
    code, title = unique("ZJ-YA"), f"园区火灾疏散实战演练 {unique('D')}"

    plan_path = register_plan(page, code, item)
    readiness = page.locator("#requirements")
    expect(readiness.locator("h2 .badge")).to_have_text("就绪")  # required 20, the company's depot holds 50
    expect(readiness.locator("tbody tr td")).to_have_text([f"{item} {MASKS}", "20 具", "50 具", "—"])
    approve(page, plan_path)
    expect(last_drilled(page)).to_have_text("尚未演练")
    drill_path = schedule_drill(page, title, item)

    # The depots are asked in the background; the page polls while it waits (a reload does too).
    reload_until_visible(page, page.locator("#drill-page h1 .status-ready"))
    expect(page.locator("#drill-page h1 .status-ready")).to_have_text("就绪")
    expect(page.locator("#resources table.allocations tbody tr")).to_have_count(1)
    page.goto(f"/drills/?month={days_from_today(7)[:7]}")
    expect(page.locator("table.month a.drill", has_text=title)).to_have_attribute("href", drill_path)
    page.goto(drill_path)
    run_the_drill(page, item)
    evaluate(page)
    record_finding(page)
    close_the_action(page)

    page.goto(plan_path)
    # The plans service hears of the completed drill in the background.
    reload_until_visible(page, last_drilled(page).filter(has_text=days_from_today(0)))
