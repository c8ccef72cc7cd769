"""Stock in and out of spreadsheets: balances exported as CSV or XLSX, receipts imported all-or-nothing."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.db import json_number
from servicekit.signing import Actor
from services.resources.models import Item, Warehouse
from services.resources.use_cases.bulk_receipts import book_receipts
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.receipt_rows import IMPORT_OPTIONAL, IMPORT_REQUIRED, check_rows
from services.resources.use_cases.sheet_reading import read_sheet
from services.resources.use_cases.stock import balances

EXPORT_COLUMNS = ("warehouse_code", "warehouse_name", "item_code", "item_name", "category_code", "unit",
                  "on_hand", "reserved", "unusable", "available", "min_quantity",
                  # Left empty: fill them in and the same sheet imports as receipts.
                  "quantity", "batch_no", "expiry_date")
MAX_IMPORT_ROWS = 20_000


def export_rows(*, session: Session, today: dt.date, **filters: Any) -> list[dict[str, Any]]:
    positions = balances(session=session, today=today, page=1, per_page=10**9, **filters)["items"]
    warehouses = {w.id: w for w in session.scalars(select(Warehouse))}
    items = {i.id: i for i in session.scalars(select(Item))}
    rows = []
    for p in positions:
        warehouse, item = warehouses[p.warehouse_id], items[p.item_id]
        rows.append({"warehouse_code": warehouse.code, "warehouse_name": warehouse.name, "item_code": item.code,
                     "item_name": item.name, "category_code": item.category_code, "unit": item.unit,
                     "on_hand": json_number(p.on_hand), "reserved": json_number(p.reserved),
                     "unusable": json_number(p.unusable), "available": json_number(p.available),
                     "min_quantity": json_number(p.min_quantity), "quantity": None, "batch_no": None, "expiry_date": None})
    rows.sort(key=lambda row: (row["warehouse_code"], row["item_code"]))
    return rows


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (a depot named "=HYPERLINK(...)") is quoted with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which is what makes Excel open Chinese text correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({name: _inert(value) for name, value in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _storable(value: Any) -> Any:
    """A worksheet cannot hold control characters other than tab and line breaks (openpyxl refuses the whole
    file): each is shown as U+FFFD, so one odd depot name cannot make every export fail."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def _xlsx_cell(sheet, value: Any) -> Any:
    value = _storable(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text that merely starts with "=", never a formula
        return cell
    return value


def to_xlsx(rows: Iterable[dict[str, Any]], *, title: str = "stock") -> bytes:
    # Write-only: rows stream to the file as they come (a normal sheet re-measures itself on every row, which
    # made a 20,000-row export take minutes).
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row[column]) for column in EXPORT_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_receipts(content: bytes, *, session: Session, actor: Actor, today: dt.date,
                    reads: Session | None = None) -> dict[str, Any]:
    """Every filled row becomes a receipt in one ledger batch, or none does: 422 names each bad row (header = row 1).

    The file is read, checked and its codes resolved on `reads` before the first write, so the write lock
    (SQLite's, held to the commit) covers only the bulk statements that book it.
    """
    sheet = read_sheet(content, required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL, max_rows=MAX_IMPORT_ROWS)
    checked = check_rows(sheet, session=reads or session, today=today)
    with Ledger(session, actor=actor, today=today) as ledger:
        receipts = book_receipts(checked.accepted, ledger=ledger, reads=reads,
                                 note_of=lambda row: f"import row {row.row}")
    return {"batch_id": ledger.batch_id, "imported": len(receipts), "skipped": checked.skipped, "receipts": receipts}
