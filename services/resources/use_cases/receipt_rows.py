"""The rows of a receipt sheet checked and resolved to depots and items, naming every bad row in words."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, InvalidInput
from servicekit.schemas import MAX_QUANTITY
from services.resources.models import Item, Warehouse
from services.resources.use_cases.catalog import retired_reason
from services.resources.use_cases.ledger import MAX_HELD
from services.resources.use_cases.sheet_reading import Sheet, UncalculatedFormula
from services.resources.use_cases.stock import RefusedExpiry, receipt_expiry

IMPORT_REQUIRED = ("warehouse_code", "item_code", "quantity")
IMPORT_OPTIONAL = ("batch_no", "expiry_date")

_WAREHOUSES = select(Warehouse).where(Warehouse.code.in_(bindparam("codes", expanding=True)))
_ITEMS = select(Item).where(Item.code.in_(bindparam("codes", expanding=True)))


@dataclass(frozen=True)
class ReceiptRow:
    """One row that will become a receipt."""

    row: int
    warehouse: Warehouse
    item: Item
    quantity: Decimal
    batch_no: str | None
    expiry: dt.date | None


@dataclass(frozen=True)
class ReceiptRows:
    accepted: list[ReceiptRow]
    skipped: int


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code(value: Any) -> str:
    return "" if value is None else str(value).strip()


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


def _uncalculated(cells: dict[str, Any]) -> list[str]:
    return [f"{name} is a formula that was never calculated ({cell.formula}); open the file in Excel and save it "
            "again, or type the value" for name, cell in cells.items() if isinstance(cell, UncalculatedFormula)]


def _by_code(session: Session, statement, codes: set[str]) -> dict[str, Any]:
    return {found.code: found for found in session.scalars(statement, {"codes": sorted(codes)})} if codes else {}


def check_rows(sheet: Sheet, *, session: Session, today: dt.date) -> ReceiptRows:
    """Every filled row parsed and resolved, or InvalidInput naming each bad row (header = row 1) and each reason."""
    filled = [(number, cells) for number, cells in sheet.rows
              if not _blank(cells["quantity"]) or isinstance(cells["quantity"], UncalculatedFormula)]
    warehouses = _by_code(session, _WAREHOUSES, {_code(cells["warehouse_code"]) for _, cells in filled})
    items = _by_code(session, _ITEMS, {_code(cells["item_code"]) for _, cells in filled})
    accepted, errors, retired = [], {}, {}
    for number, cells in filled:
        if problems := _uncalculated(cells):
            errors[f"row {number}"] = problems
            continue
        problems, parsed = [], {}
        warehouse = warehouses.get(_code(cells["warehouse_code"]))
        item = items.get(_code(cells["item_code"]))
        if warehouse is None:
            problems.append(f"no depot with warehouse_code {cells['warehouse_code']!r}")
        if item is None:
            problems.append(f"no item with item_code {cells['item_code']!r}")
        elif item.kind == "equipment":
            problems.append(f"{item.code} is equipment: register its units, do not import a count")
        for name, parse in (("quantity", _parse_quantity), ("expiry_date", _parse_date),
                            ("batch_no", _parse_batch_no)):
            try:
                parsed[name] = parse(cells.get(name))
            except ValueError as exc:
                problems.append(str(exc))
        if item is not None and "expiry_date" in parsed:
            try:
                parsed["expiry_date"] = receipt_expiry(item, parsed["expiry_date"], today=today)
            except RefusedExpiry as refused:
                problems.append(f"expiry_date {refused}")
        if problems:
            errors[f"row {number}"] = problems
        elif reason := retired_reason(warehouse=warehouse, item=item):
            retired[f"row {number}"] = [reason]
        else:
            accepted.append(ReceiptRow(number, warehouse, item, parsed["quantity"], parsed["batch_no"],
                                       parsed["expiry_date"]))
    if errors:
        raise InvalidInput(errors, detail=f"{len(errors)} row(s) are invalid; nothing was imported.")
    if retired:  # well-formed rows the depot's or item's state refuses: a conflict, like a receipt's
        raise Conflict(f"{len(retired)} row(s) bring new stock into a retired depot or of a retired item; "
                       "nothing was imported.", rows=retired)
    if not accepted:
        raise InvalidInput({"file": ["No row has a quantity to receive."]})
    refuse_overflowing_positions(accepted)
    return ReceiptRows(accepted=accepted, skipped=len(sheet.rows) - len(filled))


def refuse_overflowing_positions(rows: list[ReceiptRow], held: dict[tuple, Decimal] | None = None) -> None:
    """Rows adding up, for one depot and item, to more than the ledger can hold (with what it `held` before)."""
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    numbers: dict[tuple, list[int]] = defaultdict(list)
    firsts: dict[tuple, ReceiptRow] = {}
    for row in rows:
        pair = (row.warehouse.id, row.item.id)
        totals[pair] += row.quantity
        numbers[pair].append(row.row)
        firsts.setdefault(pair, row)
    errors = {}
    for pair, total in totals.items():
        before = (held or {}).get(pair, Decimal(0))
        if before + total > MAX_HELD:
            first = firsts[pair]
            where = f"{first.item.code} at {first.warehouse.code}"
            rows_said = _row_list(numbers[pair])
            on_hand = f" on top of the {before} already on hand" if before else ""
            errors[f"{first.warehouse.code}/{first.item.code}"] = [
                f"{rows_said} together receive {total} of {where}{on_hand}; one depot's stock of an item can be "
                f"at most {MAX_HELD}."]
    if errors:
        raise InvalidInput(errors, detail="The import would hold more of an item at a depot than the ledger can "
                                          "count; nothing was imported.")


def _row_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Row {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Rows {numbers[0]}–{numbers[-1]} ({len(numbers):,} rows)"
    shown = ", ".join(str(n) for n in numbers[:5])
    return f"Rows {shown}{', …' if len(numbers) > 5 else ''} ({len(numbers):,} rows)"
