"""Import and export: the balances downloaded as the API's file, receipts imported from a spreadsheet, and a refused
import shown row by row."""
from __future__ import annotations

import io
import re

import httpx
import pytest

from console import testing
from tests.api.console.stock_pages import reader

DEPOT = {"id": "66fad830-e38f-4d4a-9f1d-e5b53b683e49", "code": "WH-02", "name": "北区储备点", "level": "county"}
CSV_EXPORT = ("\ufeffwarehouse_code,warehouse_name,item_code,item_name,category_code,unit,on_hand,reserved,unusable,"
              "available,min_quantity,quantity,batch_no,expiry_date\r\nWH-02,北区储备点,LJ-001,救生衣,2010401,件,80,0,0,"
              "80,100,,,\r\n").encode("utf-8")
SHEET = b"warehouse_code,item_code,quantity,batch_no,expiry_date\nWH-01,LJ-001,10,B1,2030-01-01\nWH-09,LJ-001,5,,\n"


@pytest.fixture(autouse=True)
def depots(gateway):
    """The export's depot chooser, on the page every answer to an import shows again."""
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT]))


def upload(console, content: bytes = SHEET, name: str = "receipts.csv"):
    return testing.post_form(console, "/stock/exchange/import", {"file": (io.BytesIO(content), name)},
                             page="/stock/exchange")


def test_the_export_hands_over_the_apis_file_under_its_name(console, gateway):
    gateway.on("GET", "/stock/export", httpx.Response(200, content=CSV_EXPORT, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="erdm-stock-2026-12-02.csv"'}))

    answer = console.get(f"/stock/exchange/export?format=csv&warehouse_id={DEPOT['id']}")

    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="erdm-stock-2026-12-02.csv"'
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.data == CSV_EXPORT
    asked = [r for r in gateway.requests if r.url.path == "/api/v1/stock/export"][-1]
    assert dict(asked.url.params) == {"format": "csv", "warehouse_id": DEPOT["id"]}


def test_an_xlsx_export_of_every_depot_asks_for_no_depot(console, gateway):
    gateway.on("GET", "/stock/export", httpx.Response(200, content=b"PK\x03\x04workbook", headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="erdm-stock-2026-12-02.xlsx"'}))

    answer = console.get("/stock/exchange/export?format=xlsx&warehouse_id=")

    assert answer.headers["Content-Disposition"].endswith('.xlsx"') and answer.data.startswith(b"PK")
    asked = [r for r in gateway.requests if r.url.path == "/api/v1/stock/export"][-1]
    assert dict(asked.url.params) == {"format": "xlsx"}


def test_the_template_is_a_header_row_excel_reads_as_utf8(console):
    answer = console.get("/stock/exchange/template.csv")

    assert answer.data == "\ufeffwarehouse_code,item_code,quantity,batch_no,expiry_date\r\n".encode("utf-8")
    assert 'filename="erdm-stock-import-template.csv"' in answer.headers["Content-Disposition"]


def test_the_page_explains_the_columns_and_offers_the_depots_for_export(console):
    text = console.get("/stock/exchange").get_data(as_text=True)

    for column in ("warehouse_code", "item_code", "quantity", "batch_no", "expiry_date"):
        assert f"<code>{column}</code>" in text
    assert "WH-02 北区储备点" in text and "全部储备库" in text and "下载空白模板" in text


def test_an_import_sends_the_file_as_multipart_and_says_how_many_rows_were_received(console, gateway):
    gateway.on("POST", "/stock/import", httpx.Response(201, json={
        "batch_id": "dea9b5cb-2d3f-467c-83b9-a334060ce566", "imported": 2, "skipped": 1, "receipts": []}))

    answer = upload(console)

    assert answer.status_code == 302 and answer.headers["Location"] == "/stock/exchange"
    sent = [r for r in gateway.requests if r.url.path == "/api/v1/stock/import"][-1]
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="file"; filename="receipts.csv"' in sent.content and SHEET in sent.content
    page = console.get("/stock/exchange").get_data(as_text=True)
    assert "receipts.csv 已导入：2 行作为同一批次入库记账。" in page and "另有 1 行未填数量，已跳过。" in page


def test_a_refused_import_lists_each_bad_row_by_its_number_in_chinese(console, gateway):
    gateway.on("POST", "/stock/import", testing.problem(
        422, "3 row(s) are invalid; nothing was imported.",
        errors={"row 11": ["quantity 'abc' is not a number"], "row 3": ["no depot with warehouse_code 'WH-09'"],
                "row 5": ["GEN-01 is equipment: register its units, do not import a count",
                          "expiry_date 2026-11-20 is already past; expired stock cannot be received."]}))

    answer = upload(console)

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    rows = re.findall(r'<tr class="row-bad"><td class="number">(\d+)</td>', html)
    assert rows == ["3", "5", "11"]  # in the file's order, by number
    assert "没有代码为“WH-09”的储备库。" in html and "数量“abc”不是数字。" in html
    assert "GEN-01 是装备，请按序列号逐台登记" in html and "有效期 2026-11-20 已过，过期物资不能入库。" in html
    assert "receipts.csv：未导入任何记录" in html and "文件中有 3 行未通过校验" in html


def test_a_file_the_api_cannot_read_is_said_beside_the_file_field(console, gateway):
    gateway.on("POST", "/stock/import", testing.problem(
        422, "Some fields are invalid.", errors={"file": ["Row 1 (the header) lacks the column(s): item_code."]}))

    answer = upload(console, b"warehouse_code,quantity\nWH-01,10\n")

    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "file") == ["第 1 行（表头）缺少列：item_code。"]


def test_rows_bringing_stock_into_a_retired_depot_are_listed_from_the_409(console, gateway):
    gateway.on("POST", "/stock/import", testing.problem(
        409, "1 row(s) bring new stock into a retired depot or of a retired item; nothing was imported.",
        rows={"row 4": [('Depot WH-03 (南区储备点) is retired: it takes no new stock. PATCH it with {"active": true} '
                         "to bring it back.")]}))

    answer = upload(console)

    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert re.search(r'<td class="number">4</td>\s*<td>储备库 WH-03 \(南区储备点\) 已停用', html)


def test_a_reason_the_console_does_not_know_is_shown_as_the_api_wrote_it(console, gateway):
    gateway.on("POST", "/stock/import", testing.problem(
        422, "The import would hold more of an item at a depot than the ledger can count; nothing was imported.",
        errors={"WH-01/LJ-001": [("Rows 2–3 (2 rows) together receive 1e15 of LJ-001 at WH-01; one depot's stock of "
                                  "an item can be at most 999999999999.")]}))

    html = upload(console).get_data(as_text=True)

    assert "WH-01/LJ-001: Rows 2–3 (2 rows) together receive" in html


def test_only_csv_and_xlsx_files_are_sent(console, gateway):
    answer = upload(console, b"%PDF-1.7", "report.pdf")

    assert answer.status_code == 422
    assert "只能导入 .csv 或 .xlsx 文件。" in answer.get_data(as_text=True)
    assert not [r for r in gateway.requests if r.url.path == "/api/v1/stock/import"]


def test_an_xlsx_upload_is_sent_with_the_workbook_type(console, gateway):
    gateway.on("POST", "/stock/import", httpx.Response(201, json={"batch_id": "b", "imported": 1, "skipped": 0,
                                                                  "receipts": []}))

    upload(console, b"PK\x03\x04workbook", "receipts.xlsx")

    sent = [r for r in gateway.requests if r.url.path == "/api/v1/stock/import"][-1]
    assert b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in sent.content


def test_someone_who_only_reads_may_export_but_is_offered_no_import(console_app, gateway):
    viewer = reader(console_app, gateway)

    html = viewer.get("/stock/exchange").get_data(as_text=True)
    assert "下载 XLSX" in html and 'action="/stock/exchange/import"' not in html
    assert upload(viewer).status_code == 403 and gateway.sent("POST", "/stock/import") == []
