"""Stock out to spreadsheets and receipts back in from them, as logistics staff keep their books today."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from sheets import csv_file, upload
from stockroom import API, assert_problem, in_days, url

BOM = b"\xef\xbb\xbf"


def export(client, fmt, **params):
    response = client.get(url("/stock/export", format=fmt, **params))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert f'.{fmt}"' in response.headers["Content-Disposition"]
    return response


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def shelves(stockroom, depot, tents, water):
    stockroom.receive(depot, tents, 12)
    stockroom.receive(depot, water, 30.5, expiry_date=in_days(200))
    stockroom.quota(depot, water, 40)
    return depot


def test_csv_export_has_a_bom_and_keeps_chinese_names(resources_client, stockroom, shelves, tents, water):
    response = export(resources_client, "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8", "one charset, said once"
    assert response.data.startswith(BOM), "Excel needs the BOM to read UTF-8 Chinese"
    assert response.data[len(BOM):].decode("utf-8").splitlines()[0].startswith("warehouse_code,warehouse_name,")
    rows = {row["item_code"]: row for row in csv_rows(response.data)}
    assert rows[tents["code"]]["item_name"] == "救灾帐篷" and rows[water["code"]]["item_name"] == "瓶装饮用水"
    assert rows[tents["code"]]["warehouse_name"] == shelves["name"]
    assert (rows[tents["code"]]["unit"], rows[tents["code"]]["on_hand"]) == ("顶", "12")
    water_row = rows[water["code"]]
    assert (water_row["on_hand"], water_row["available"], water_row["min_quantity"]) == ("30.5", "30.5", "40")
    assert (water_row["quantity"], water_row["batch_no"], water_row["expiry_date"]) == ("", "", "")


def test_xlsx_export_opens_in_a_spreadsheet_tool(resources_client, shelves, tents):
    response = export(resources_client, "xlsx", item_id=tents["id"])
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["warehouse_code", "warehouse_name", "item_code", "item_name"]
    [row] = rows
    record = dict(zip(header, row))
    assert (record["item_name"], record["unit"], record["on_hand"], record["quantity"]) == ("救灾帐篷", "顶", 12, None)


def test_a_name_with_control_characters_still_exports_as_xlsx(resources_client, stockroom, tents):
    odd = stockroom.warehouse(name="西区\x0b仓库\x1f")
    stockroom.receive(odd, tents, 1)
    sheet = load_workbook(io.BytesIO(export(resources_client, "xlsx").data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [dict(zip(header, row))["warehouse_name"] for row in rows] == ["西区\ufffd仓库\ufffd"]


def test_export_filters_and_refuses_an_unknown_format(resources_client, stockroom, shelves, tents):
    other = stockroom.warehouse()
    stockroom.receive(other, tents, 1)
    exported = csv_rows(export(resources_client, "csv", warehouse_id=other["id"]).data)
    assert {row["warehouse_code"] for row in exported} == {other["code"]}
    assert len(csv_rows(export(resources_client, "csv").data)) == 3
    assert_problem(resources_client.get(url("/stock/export", format="ods")), 422, "format")
    assert_problem(resources_client.get(url("/stock/export")), 422, "format")


def test_an_exported_xlsx_filled_in_imports_as_receipts(resources_client, stockroom, shelves, tents, water):
    workbook = load_workbook(io.BytesIO(export(resources_client, "xlsx").data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column["item_code"]).value == water["code"]:
            sheet.cell(row, column["quantity"]).value = 9.5
            sheet.cell(row, column["batch_no"]).value = "2026-夏季补库"
            sheet.cell(row, column["expiry_date"]).value = in_days(20)
    out = io.BytesIO()
    workbook.save(out)
    assert [a["kind"] for a in stockroom.alerts()] == ["low_stock"]
    response = upload(resources_client, out.getvalue(), "库存.xlsx")
    assert response.status_code == 201, response.get_data(as_text=True)
    result = response.get_json()
    assert (result["imported"], result["skipped"]) == (1, 1), "the tents line was left empty"
    assert stockroom.balance(shelves, water)["on_hand"] == 40
    assert stockroom.balance(shelves, tents)["on_hand"] == 12
    assert [a["kind"] for a in stockroom.alerts()] == ["expiring"], "the quota is met; the new lot expires soon"
    assert stockroom.alerts()[0]["batch_no"] == "2026-夏季补库"


def test_an_exported_csv_filled_in_imports_as_receipts(resources_client, stockroom, shelves, tents):
    rows = csv_rows(export(resources_client, "csv").data)
    for row in rows:
        row["quantity"] = "3" if row["item_code"] == tents["code"] else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = upload(resources_client, b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert stockroom.balance(shelves, tents)["on_hand"] == 15


def test_an_import_is_one_ledger_batch(resources_client, stockroom, depot, tents, water):
    other = stockroom.warehouse()
    content = csv_file([[depot["code"], tents["code"], "5", "批次-A", ""],
                        [other["code"], tents["code"], "2.25", "", ""],
                        [depot["code"], water["code"], "10", "W-1", in_days(90)],
                        [depot["code"], tents["code"], "1", "批次-A", ""]])
    result = upload(resources_client, content).get_json()
    assert result["imported"] == 4
    assert [r["row"] for r in result["receipts"]] == [2, 3, 4, 5]
    movements = stockroom.movements(batch_id=result["batch_id"])
    assert sorted(m["note"] for m in movements) == [f"import row {n}" for n in (2, 3, 4, 5)]
    assert {m["type"] for m in movements} == {"receipt"} and len(stockroom.movements()) == 4
    assert result["receipts"][0]["lot_id"] == result["receipts"][3]["lot_id"], "the same batch joins one lot"
    assert stockroom.balance(depot, tents)["on_hand"] == 6 and stockroom.balance(other, tents)["on_hand"] == 2.25
    [lot] = stockroom.lots(item_id=water["id"])
    assert (lot["batch_no"], lot["expiry_date"]) == ("W-1", in_days(90))
    stockroom.ledger_matches_balances()


def test_a_gb18030_csv_from_chinese_excel_is_accepted(resources_client, stockroom, depot, tents):
    content = csv_file([[depot["code"], tents["code"], "7", "二〇二六年第三批", ""]], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert upload(resources_client, content).status_code == 201
    assert [lot["batch_no"] for lot in stockroom.lots(item_id=tents["id"])] == ["二〇二六年第三批"]


def test_every_bad_row_is_named_and_nothing_is_imported(resources_client, stockroom, depot, tents, water, outbox):
    pumps = stockroom.equipment_item()
    written = len(outbox())
    content = csv_file([[depot["code"], tents["code"], "5", "", ""],
                        ["NO-SUCH-DEPOT", tents["code"], "1", "", ""],
                        [depot["code"], water["code"], "2", "", "2026/13/01"],
                        [depot["code"], tents["code"], "", "", ""],  # not filled in: skipped, not an error
                        [depot["code"], tents["code"], "-3", "", ""],
                        [depot["code"], water["code"], "1", "", in_days(30)]])
    body = assert_problem(upload(resources_client, content), 422)
    assert sorted(body["errors"]) == ["row 3", "row 4", "row 6"]
    assert "NO-SUCH-DEPOT" in body["errors"]["row 3"][0]
    assert "2026/13/01" in body["errors"]["row 4"][0]
    assert "more than 0" in body["errors"]["row 6"][0]
    assert "3 row(s)" in body["detail"]
    assert stockroom.movements() == [] and len(outbox()) == written
    more = csv_file([[depot["code"], pumps["code"], "1", "", ""], [depot["code"], "NO-ITEM", "1.0005", "", ""],
                     [depot["code"], tents["code"], "1", "", in_days(-1)]])
    body = assert_problem(upload(resources_client, more), 422)
    assert "equipment" in body["errors"]["row 2"][0]
    assert len(body["errors"]["row 3"]) == 2, "an unknown item and a too-precise quantity, both said"
    assert "already past" in body["errors"]["row 4"][0]
    assert stockroom.movements() == []


@pytest.mark.parametrize(("content", "filename"), [
    (b"", "empty.csv"),
    (BOM, "only-a-bom.csv"),
    ("仓库编码,物资编码,数量\nWH-1,IT-1,3\n".encode(), "chinese-header.csv"),
    (b"warehouse_code,quantity\nWH-1,3\n", "no-item-column.csv"),
    (b"warehouse_code,item_code,quantity\nWH-1,IT-1,\n", "nothing-filled.csv"),
    (b"PK\x03\x04 this is no workbook", "broken.xlsx"),
])
def test_a_file_that_is_not_a_receipt_sheet_is_refused_naming_the_file(resources_client, stockroom, content, filename):
    assert_problem(upload(resources_client, content, filename), 422, "file")
    assert stockroom.movements() == []


def test_an_import_without_a_file_is_refused(resources_client):
    response = resources_client.post(f"{API}/stock/import", data={}, content_type="multipart/form-data")
    assert_problem(response, 422, "file")


def test_an_xlsx_of_receipts_typed_by_hand_imports(resources_client, stockroom, depot, water):
    workbook = Workbook()
    workbook.active.append(["Warehouse_Code ", "ITEM_CODE", "quantity", "batch_no", "expiry_date"])
    workbook.active.append([depot["code"], water["code"], 12, None, None])
    out = io.BytesIO()
    workbook.save(out)
    assert upload(resources_client, out.getvalue(), "手工.xlsx").status_code == 201
    [lot] = stockroom.lots(item_id=water["id"])
    assert (lot["quantity"], lot["expiry_date"]) == (12, in_days(365)), "the item's shelf life sets the expiry"


@pytest.mark.parametrize(("quantity", "batch_no", "says"), [
    ("1e20", "", "at most"), ("1E+5000", "", "at most"), ("1000000000000.001", "", "at most"),
    ("NaN", "", "not a number"), ("1", "批" * 101, "longer than 100"), ("1", "A\x00B", "NUL"),
])
def test_cells_the_ledger_cannot_hold_are_bad_rows_not_crashes(resources_client, stockroom, depot, tents, quantity,
                                                                batch_no, says):
    body = assert_problem(upload(resources_client, csv_file([[depot["code"], tents["code"], quantity, batch_no, ""]])),
                          422)
    assert says in body["errors"]["row 2"][0]
    huge_cell = csv_file([[depot["code"], tents["code"], "1", "x" * 200_000, ""]])
    assert_problem(upload(resources_client, huge_cell), 422, "file")
    assert stockroom.movements() == []


def test_an_import_retried_with_its_idempotency_key_receives_once(resources_client, stockroom, depot, tents):
    content = csv_file([[depot["code"], tents["code"], "5", "", ""]])
    boundary = "erdm-import-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stock.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    answers = [resources_client.post(f"{API}/stock/import", data=body,
                                     content_type=f"multipart/form-data; boundary={boundary}",
                                     headers={"Idempotency-Key": "import-2026-07-01"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    assert stockroom.balance(depot, tents)["on_hand"] == 5
