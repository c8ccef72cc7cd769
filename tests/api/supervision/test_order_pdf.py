"""An inspector prints the rectification order (整改指令书) it issued to a mine: the district bureau issuing it,
the mine, its hazards, what to do by when and the order to stop production, with the lines the inspector signs and
the mine's head signs for receipt, filled in once the mine has signed. Another district finds no such order."""
from __future__ import annotations

import uuid

import pytest

from inspections import Desk, day, pin_clock
from printed import read_pdf


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


@pytest.fixture
def order(inspector):
    hazard = inspector.hazard("MINE-1", title="主斜井顶板离层", level="major", location="主斜井 300 米处")
    return inspector.order(hazard, requirements="补打锚杆并加设顶板离层监测", due_date=day(14), suspend_production=True)


def printed_order(desk_client, order):
    return read_pdf(desk_client.get(f"/api/v1/rectification-orders/{order['id']}.pdf"))


def test_the_order_names_the_bureau_the_mine_its_hazards_and_the_deadline(inspector, order):
    printed = printed_order(inspector.client, order)
    assert printed.is_a4()
    assert printed.title == "整改指令书" and printed.author == "JB 单位"
    assert printed.says("整改指令书", f"编号：{order['code']}", "MINE-1 单位：", "主斜井顶板离层", "重大事故隐患",
                        "主斜井 300 米处", "2026-12-02", "江北检查员", f"于 {day(14)} 前整改完毕",
                        "补打锚杆并加设顶板离层监测", "责令你单位停产停业整顿")
    assert printed.says("安全生产监督管理部门（印章）： JB 单位", "签发人（检查人员）： 江北检查员", "签发日期： 2026-12-02",
                        "被检查单位主要负责人（签收）： 签收日期：", "主要负责人：王矿长")


def test_once_signed_for_the_receipt_line_carries_the_signer_and_the_day(inspector, desk, order):
    mine = Desk(desk("MINE-1", role="logistics", scope="own"))
    mine.acknowledge(order, signed_by="王矿长", position="principal")
    printed = printed_order(mine.client, order)
    assert printed.says("被检查单位主要负责人（签收）： 王矿长（主要负责人）", "签收日期： 2026-12-02")


def test_an_order_outside_the_callers_scope_is_not_found(desk, inspector, order):
    answer = desk("NS").get(f"/api/v1/rectification-orders/{order['id']}.pdf")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert inspector.client.get(f"/api/v1/rectification-orders/{uuid.uuid4()}.pdf").status_code == 404
