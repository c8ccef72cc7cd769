"""An import costs bounded memory and time whatever the file claims: a few kilobytes cannot occupy a worker."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from sheets import IMPORT_HEADER, csv_file, sheet_xml, text_row, upload, with_sheet_xml, xlsx_file
from stockroom import assert_problem

MAX_ROWS = 20_000
# What a refusal may allocate (the bound for the whole process is +50 MB).
REFUSAL_BUDGET = 50 * 2**20


def refused_within_budget(client, content: bytes, filename: str) -> dict:
    tracemalloc.start()
    try:
        response = upload(client, content, filename)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    body = assert_problem(response, 422, "file")
    assert peak < REFUSAL_BUDGET, f"the refusal allocated {peak / 2**20:.0f} MB"
    return body


def test_a_tiny_workbook_declaring_five_million_rows_is_refused_at_once(resources_client, stockroom, depot, tents):
    far = sheet_xml(text_row(1, *IMPORT_HEADER) + text_row(5_000_000, depot["code"], tents["code"], "1"),
                    dimension="A1:E5000000")
    content = with_sheet_xml(xlsx_file([]), far)
    assert len(content) < 8192, "a few kilobytes"
    body = refused_within_budget(resources_client, content, "bomb.xlsx")
    assert f"{MAX_ROWS:,} rows" in body["errors"]["file"][0]
    assert stockroom.movements() == []


def test_a_far_row_behind_a_false_small_dimension_is_refused_too(resources_client, stockroom, depot, tents):
    far = sheet_xml(text_row(1, *IMPORT_HEADER) + text_row(2, depot["code"], tents["code"], "1")
                    + text_row(5_000_000, depot["code"], tents["code"], "1"), dimension="A1:E2")
    body = refused_within_budget(resources_client, with_sheet_xml(xlsx_file([]), far), "lies.xlsx")
    assert f"{MAX_ROWS:,} rows" in body["errors"]["file"][0]
    assert stockroom.movements() == []


def test_a_false_small_dimension_hides_no_row(resources_client, stockroom, depot, tents):
    rows = "".join(text_row(n, depot["code"], tents["code"], "2") for n in range(2, 6))
    content = with_sheet_xml(xlsx_file([]), sheet_xml(text_row(1, *IMPORT_HEADER) + rows, dimension="A1:B2"))
    response = upload(resources_client, content, "stale-size.xlsx")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["imported"] == 4
    assert stockroom.balance(depot, tents)["on_hand"] == 8


def test_a_zip_bomb_is_refused_before_it_is_inflated(resources_client, stockroom):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in zipfile.ZipFile(io.BytesIO(xlsx_file([]))).infolist():
            archive.writestr(member.filename, b"")
        archive.writestr("xl/sharedStrings.xml", b" " * (400 * 2**20))  # 400 MB of blanks, ~400 KB zipped
    body = refused_within_budget(resources_client, bomb.getvalue(), "bomb.xlsx")
    assert "expands to more than" in body["errors"]["file"][0]


def test_a_csv_past_the_row_limit_is_refused_while_it_is_read(resources_client, stockroom, depot, tents):
    rows = [[depot["code"], tents["code"], "1", "", ""]] * (MAX_ROWS + 1)
    body = refused_within_budget(resources_client, csv_file(rows), "too-long.csv")
    assert f"{MAX_ROWS:,} rows" in body["errors"]["file"][0]
    assert stockroom.movements() == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exactly_the_row_limit_is_accepted(resources_client, stockroom, depot, tents, kind):
    rows = [[depot["code"], tents["code"], "1", "", ""]] * MAX_ROWS
    content = csv_file(rows) if kind == "csv" else xlsx_file(rows)
    response = upload(resources_client, content, f"full.{kind}")
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    assert response.get_json()["imported"] == MAX_ROWS
    assert stockroom.balance(depot, tents)["on_hand"] == MAX_ROWS


@pytest.mark.parametrize(("rows_xml", "says"), [
    ('<row r="2"/>' * 3_000_000, f"{MAX_ROWS:,} rows"),  # no declared size, millions of empty rows
    ('<row r="2">' + "<c/>" * 3_000_000 + "</row>", "KB of cells"),  # one row of millions of cells
])
def test_a_worksheet_inflating_to_millions_of_elements_is_refused_before_it_is_parsed(resources_client, stockroom,
                                                                                      rows_xml, says):
    header = text_row(1, *IMPORT_HEADER)
    body = refused_within_budget(resources_client, with_sheet_xml(xlsx_file([]), sheet_xml(header + rows_xml)),
                                 "wide.xlsx")
    assert says in body["errors"]["file"][0]


def shared_texts_bomb(entries: bytes) -> bytes:
    """An empty receipt workbook whose shared-texts part holds `entries`."""
    texts = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + entries
    bomb = io.BytesIO()
    # One workbook read for both the list and the bytes: two builds differ (openpyxl stamps the time).
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_file([])))
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in workbook.infolist():
            archive.writestr(member.filename, workbook.read(member))
        archive.writestr("xl/sharedStrings.xml", texts + b"</sst>")
    return bomb.getvalue()


def test_a_workbook_of_hundreds_of_thousands_of_shared_texts_is_refused(resources_client, stockroom):
    body = refused_within_budget(resources_client, shared_texts_bomb(b"<si><t/></si>" * 400_000), "texts.xlsx")
    assert "distinct texts" in body["errors"]["file"][0]


def test_a_workbook_of_few_but_huge_shared_texts_is_refused(resources_client, stockroom):
    # 240 texts of 40,000 characters: few enough to pass the count, each held in memory by openpyxl.
    entries = b"".join(b"<si><t>" + (b"%03d" % n) * 13_334 + b"</t></si>" for n in range(240))
    body = refused_within_budget(resources_client, shared_texts_bomb(entries), "texts.xlsx")
    assert "texts expand to more than 8 MB" in body["errors"]["file"][0]


def test_a_password_protected_workbook_is_refused_in_words(resources_client, stockroom):
    # An encrypted part (general-purpose flag bit 0) cannot be opened without its password. zipfile writes no
    # such part, so the bit is set in every local and central header of a plain workbook.
    locked = bytearray(xlsx_file([]))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = locked.find(signature)
        while start != -1:
            locked[start + flags_at] |= 0x1
            start = locked.find(signature, start + 4)
    body = assert_problem(upload(resources_client, bytes(locked), "locked.xlsx"), 422, "file")
    assert "password-protected" in body["errors"]["file"][0]
