"""Stock in and out of spreadsheets: balances exported as CSV or XLSX, receipts imported all-or-nothing."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.db import json_number
from servicekit.errors import Conflict, InvalidInput
from servicekit.schemas import MAX_QUANTITY
from servicekit.signing import Actor
from services.resources.models import Item, Warehouse
from services.resources.service.catalog import retired_reason
from services.resources.service.ledger import Ledger
from services.resources.service.stock import balances, put_away, receipt_expiry

EXPORT_COLUMNS = ("warehouse_code", "warehouse_name", "item_code", "item_name", "category_code", "unit",
                  "on_hand", "reserved", "unusable", "available", "min_quantity",
                  # Left empty: fill them in and the same sheet imports as receipts.
                  "quantity", "batch_no", "expiry_date")
IMPORT_REQUIRED = ("warehouse_code", "item_code", "quantity")
IMPORT_OPTIONAL = ("batch_no", "expiry_date")
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


def to_xlsx(rows: Iterable[dict[str, Any]], *, title: str = "stock") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([_storable(row[column]) for column in EXPORT_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that merely starts with "=", never a formula
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_table(content: bytes) -> list[list[Any]]:
    """The rows of a CSV (UTF-8, or GB18030 as Chinese Excel saves it) or of an XLSX's first sheet."""
    if content[:4] == b"PK\x03\x04":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
            raise InvalidInput({"file": [f"Not a readable XLSX workbook ({type(exc).__name__})."]}) from exc
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput({"file": ["Neither UTF-8 nor GB18030 text; save the sheet as CSV UTF-8 or XLSX."]})
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:  # e.g. a cell past the csv module's field size limit
        raise InvalidInput({"file": [f"Not a readable CSV ({exc})."]}) from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_quantity(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"quantity {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"quantity {value!r} is not a number")
    if number <= 0:
        raise ValueError("quantity must be more than 0")
    # The API's own bound: past it the ledger's 64-bit count of thousandths overflows (and quantize raises).
    if number > MAX_QUANTITY:
        raise ValueError(f"quantity must be at most {MAX_QUANTITY}")
    if number != number.quantize(Decimal("0.001")):
        raise ValueError("quantity has more than 3 decimal places")
    return number.quantize(Decimal("0.001")).normalize() + 0


def _parse_date(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"expiry_date {value!r} is not a date (YYYY-MM-DD)") from None


def _parse_batch_no(value: Any) -> str | None:
    if _blank(value):
        return None
    text = str(value).strip()
    # What a receipt's batch_no may be (the lots column is 100 long; PostgreSQL cannot store NUL).
    if len(text) > 100:
        raise ValueError("batch_no is longer than 100 characters")
    if "\x00" in text:
        raise ValueError("batch_no contains a NUL character")
    return text


def import_receipts(content: bytes, *, session: Session, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Every filled row becomes a receipt in one ledger batch, or none does: 422 names each bad row (header = row 1)."""
    table = read_table(content)
    if not table:
        raise InvalidInput({"file": ["The file is empty."]})
    header = [str(cell).strip().lower() if cell is not None else "" for cell in table[0]]
    if missing := [column for column in IMPORT_REQUIRED if column not in header]:
        raise InvalidInput({"file": [f"Row 1 (the header) lacks the column(s): {', '.join(missing)}."]})
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise InvalidInput({"file": [f"At most {MAX_IMPORT_ROWS} rows per import."]})
    index = {name: header.index(name) for name in (*IMPORT_REQUIRED, *IMPORT_OPTIONAL) if name in header}
    warehouses = {w.code: w for w in session.scalars(select(Warehouse))}
    items = {i.code: i for i in session.scalars(select(Item))}
    accepted, errors, retired, skipped = [], {}, {}, 0
    for number, row in enumerate(table[1:], start=2):
        cell = {name: (row[position] if position < len(row) else None) for name, position in index.items()}
        if _blank(cell["quantity"]):
            skipped += 1  # an exported line nobody filled in, or an empty line
            continue
        problems, parsed = [], {}
        warehouse = warehouses.get(str(cell["warehouse_code"] or "").strip())
        item = items.get(str(cell["item_code"] or "").strip())
        if warehouse is None:
            problems.append(f"no depot with warehouse_code {cell['warehouse_code']!r}")
        if item is None:
            problems.append(f"no item with item_code {cell['item_code']!r}")
        elif item.kind == "equipment":
            problems.append(f"{item.code} is equipment: register its units, do not import a count")
        for name, parse in (("quantity", _parse_quantity), ("expiry_date", _parse_date),
                            ("batch_no", _parse_batch_no)):
            try:
                parsed[name] = parse(cell.get(name))
            except ValueError as exc:
                problems.append(str(exc))
        if item is not None and "expiry_date" in parsed:
            parsed["expiry_date"] = receipt_expiry(item, parsed["expiry_date"], today=today)
            if parsed["expiry_date"] is not None and parsed["expiry_date"] < today:
                problems.append(f"expiry_date {parsed['expiry_date']} is already past")
        if problems:
            errors[f"row {number}"] = problems
        elif reason := retired_reason(warehouse=warehouse, item=item):
            retired[f"row {number}"] = [reason]
        else:
            accepted.append((number, warehouse, item, parsed["quantity"], parsed["batch_no"], parsed["expiry_date"]))
    if errors:
        raise InvalidInput(errors, detail=f"{len(errors)} row(s) are invalid; nothing was imported.")
    if retired:  # well-formed rows the depot's or item's state refuses: a conflict, like a receipt's
        raise Conflict(f"{len(retired)} row(s) bring new stock into a retired depot or of a retired item; "
                       "nothing was imported.", rows=retired)
    if not accepted:
        raise InvalidInput({"file": ["No row has a quantity to receive."]})
    receipts = []
    with Ledger(session, actor=actor, today=today) as ledger:
        for number, warehouse, item, quantity, batch_no, expiry in accepted:
            lot, movement = put_away(ledger, warehouse=warehouse, item=item, quantity=quantity, batch_no=batch_no,
                                     expiry=expiry, note=f"import row {number}")
            receipts.append({"row": number, "warehouse_code": warehouse.code, "item_code": item.code,
                             "quantity": quantity, "lot_id": lot.id, "movement_id": movement.id})
    return {"batch_id": ledger.batch_id, "imported": len(receipts), "skipped": skipped, "receipts": receipts}
