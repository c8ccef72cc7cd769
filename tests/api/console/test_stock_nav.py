"""Every stock page carries the same navigation: each stock page, the one shown (or the one it belongs to) marked,
and the four operations as actions for those who keep stock. And no page gives two of its elements one id (a
list's filters and the page's own form have fields of the same names)."""
from __future__ import annotations

import re

import pytest

from console import testing
from tests.api.console.stock_pages import reader

DEPOT = {"id": "eaaf09e1-1ca2-447c-8eaf-7171dd95c032", "code": "WH-SH-01", "name": "市级应急物资储备库",
         "level": "municipal", "lat": None, "lon": None, "org": {"code": "ROOT", "name": "市应急管理局"}, "active": True}
UNIT_ID = "4bf0be8c-7ad2-4915-85fb-bfdbe49050de"
PAGES = [("/stock/", "储备库"), ("/stock/movements", "台账"), ("/stock/requisitions", "动用申请"),
         ("/stock/items", "物资目录"), ("/stock/equipment", "装备"), ("/stock/exchange", "导入导出"),
         ("/stock/quotas", "储备定额"), ("/stock/nearest", "就近储备库"), ("/stock/alerts", "预警")]
OPERATIONS = [("/stock/receive", "入库"), ("/stock/issue", "出库"), ("/stock/transfer", "调拨"), ("/stock/count", "盘点")]


@pytest.fixture(autouse=True)
def nothing_yet(gateway):
    """An empty stock: every list the pages read answers with no record; one depot and one unit to open."""
    for path in ("/warehouses", "/items", "/movements", "/equipment", "/stock", "/stock/lots", "/alerts",
                 "/requisitions"):
        gateway.on("GET", path, testing.page_of([]))
    gateway.on("GET", "/categories", {"items": []})
    gateway.on("GET", f"/warehouses/{DEPOT['id']}", DEPOT)
    gateway.on("GET", f"/equipment/{UNIT_ID}", {
        "id": UNIT_ID, "serial_no": "GEN-2024-001", "item": {"code": "GEN-01", "name": "柴油发电机组 30kW"},
        "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "status": "in_service", "inspections": []})


def stock_nav(client, path: str) -> list[tuple[str, str, bool]]:
    """The stock navigation of the page at `path`, as (href, words, marked current) for each link."""
    answer = client.get(path)
    assert answer.status_code == 200, path
    navs = re.findall(r'<nav class="stock-nav" aria-label="物资页面">(.*?)</nav>', answer.get_data(as_text=True), re.S)
    assert len(navs) == 1, f"{path} shows {len(navs)} stock navigations"
    return [(href, words, bool(current)) for href, current, words
            in re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', navs[0])]


EVERY_PAGE = [*PAGES, (f"/stock/depots/{DEPOT['id']}", "储备库"), (f"/stock/depots/{DEPOT['id']}/edit", "储备库"),
              ("/stock/equipment/new", "装备"), (f"/stock/equipment/{UNIT_ID}", "装备"), *OPERATIONS]


@pytest.mark.parametrize("path, current", EVERY_PAGE)
def test_every_stock_page_lists_every_stock_page_and_the_operations_with_its_own_marked(console, path, current):
    links = stock_nav(console, path)

    assert [(href, words) for href, words, _marked in links] == PAGES + OPERATIONS
    assert [words for _href, words, marked in links if marked] == [current]


def test_someone_who_only_reads_is_offered_the_pages_but_no_operation(console_app, gateway):
    viewer = reader(console_app, gateway)

    assert [(href, words) for href, words, _marked in stock_nav(viewer, "/stock/alerts")] == PAGES


@pytest.mark.parametrize("path", [path for path, _current in EVERY_PAGE])
def test_no_stock_page_gives_two_elements_one_id(console, path):
    ids = re.findall(r'\sid="([^"]+)"', console.get(path).get_data(as_text=True))
    assert sorted({one for one in ids if ids.count(one) > 1}) == []
