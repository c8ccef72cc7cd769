"""Spreadsheet files for the import stories, built in the test: CSV, XLSX, and XLSX parts written by hand."""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook

from stockroom import API

IMPORT_HEADER = ["warehouse_code", "item_code", "quantity", "batch_no", "expiry_date"]


def csv_file(rows, header=IMPORT_HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows, header=IMPORT_HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(workbook: bytes, sheet_xml: str) -> bytes:
    """The workbook with its first worksheet's XML replaced, as another program (or an attacker) might write it."""
    source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = sheet_xml.encode() if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            target.writestr(member, data)
    return out.getvalue()


def sheet_xml(rows_xml: str, dimension: str | None = None) -> str:
    size = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{size}<sheetData>{rows_xml}</sheetData></worksheet>")


def text_row(number: int, *values) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
                    for i, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def upload(client, content: bytes, filename="入库.csv"):
    return client.post(f"{API}/stock/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")
