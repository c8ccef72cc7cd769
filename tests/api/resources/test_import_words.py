"""A refused import says what is wrong in words a logistics officer understands, and applies the API's own rules."""
from __future__ import annotations

import io
import zipfile

import pytest

from sheets import IMPORT_HEADER, csv_file, sheet_xml, text_row, upload, with_sheet_xml, xlsx_file
from stockroom import API, assert_problem, in_days

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_file() -> bytes:
    """An OpenDocument spreadsheet as LibreOffice saves it: a zip whose first member names its kind."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def no_exception_names(message: str) -> None:
    for name in ("Error", "KeyError", "Exception", "BadZipFile"):
        assert name not in message, message


@pytest.mark.parametrize("filename", ["库存.ods", "库存.xlsx", "stock"])
def test_an_ods_file_is_recognised_by_its_content(resources_client, stockroom, filename):
    body = assert_problem(upload(resources_client, ods_file(), filename), 422, "file")
    [message] = body["errors"]["file"]
    assert message.startswith("This is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV")
    no_exception_names(message)


@pytest.mark.parametrize(("content", "says"), [
    (b"PK\x03\x04 this is no workbook", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003"),
])
def test_other_unreadable_files_are_named_in_words(resources_client, stockroom, content, says):
    [message] = assert_problem(upload(resources_client, content, "x.xlsx"), 422, "file")["errors"]["file"]
    assert says in message
    no_exception_names(message)


def test_a_zip_that_is_no_workbook_says_so(resources_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    [message] = assert_problem(upload(resources_client, out.getvalue(), "x.xlsx"), 422, "file")["errors"]["file"]
    assert "not an Excel workbook" in message


def formula_row(number: int, warehouse: str, item: str, formula: str, cached: str | None) -> str:
    value = f"<v>{cached}</v>" if cached is not None else ""
    return (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{warehouse}</t></is></c>'
            f'<c r="B{number}" t="inlineStr"><is><t>{item}</t></is></c>'
            f'<c r="C{number}"><f>{formula}</f>{value}</c></row>')


def test_a_formula_never_calculated_is_named_by_row(resources_client, stockroom, depot, tents):
    rows = (text_row(1, *IMPORT_HEADER) + formula_row(2, depot["code"], tents["code"], "2*3", "6")
            + formula_row(5, depot["code"], tents["code"], "SUM(F1:F9)", None))
    body = assert_problem(upload(resources_client, with_sheet_xml(xlsx_file([]), sheet_xml(rows)), "公式.xlsx"), 422,
                          "row 5")
    [message] = body["errors"]["row 5"]
    assert message.startswith("quantity is a formula that was never calculated")
    assert "open the file in Excel and save it again" in message and "row 2" not in body["errors"]
    assert stockroom.movements() == []


def test_a_calculated_formula_imports_its_value(resources_client, stockroom, depot, tents):
    rows = text_row(1, *IMPORT_HEADER) + formula_row(2, depot["code"], tents["code"], "2*3", "6")
    response = upload(resources_client, with_sheet_xml(xlsx_file([]), sheet_xml(rows)), "公式.xlsx")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert stockroom.balance(depot, tents)["on_hand"] == 6


@pytest.mark.parametrize("expiry", ["9999-12-31", "1899-12-31"])
def test_an_expiry_date_is_held_to_the_same_rule_as_a_receipt(resources_client, stockroom, depot, tents, expiry):
    receipt = resources_client.post(f"{API}/stock/receipts", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                          "quantity": 1, "expiry_date": expiry})
    [said] = assert_problem(receipt, 422, "expiry_date")["errors"]["expiry_date"]
    for content, filename in ((csv_file([[depot["code"], tents["code"], "1", "", expiry]]), "a.csv"),
                              (xlsx_file([[depot["code"], tents["code"], 1, None, expiry]]), "a.xlsx")):
        body = assert_problem(upload(resources_client, content, filename), 422, "row 2")
        assert body["errors"]["row 2"] == [f"expiry_date {said}"]
    assert stockroom.movements() == []


def test_a_plausible_expiry_still_imports(resources_client, stockroom, depot, tents):
    response = upload(resources_client, csv_file([[depot["code"], tents["code"], "1", "", in_days(400)]]))
    assert response.status_code == 201
