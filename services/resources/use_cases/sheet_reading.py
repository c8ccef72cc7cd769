"""An uploaded receipt sheet (CSV or XLSX) read into rows, in bounded memory and time whatever the file claims."""
from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from openpyxl import load_workbook

from servicekit.errors import InvalidInput
from services.resources.use_cases.xlsx_guard import SAVE_AS, check_xlsx, refuse, too_many_rows

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), and password-protected .xlsx


@dataclass(frozen=True)
class UncalculatedFormula:
    """A cell holding a formula whose result was never saved (the file was written by a program, not Excel)."""

    formula: str


@dataclass
class Sheet:
    """Row 1 (the header, lower-cased) and every later row's cells of the wanted columns, by row number."""

    header: list[str]
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_sheet(content: bytes, *, required: Sequence[str], optional: Sequence[str], max_rows: int) -> Sheet:
    """The sheet of a CSV (UTF-8, or GB18030 as Chinese Excel saves it) or of an XLSX's first worksheet.

    Refused (422 on `file`) as soon as it is known to hold more than `max_rows` rows below the header:
    reading stops there, so no file costs more than `max_rows` rows of memory and time.
    """
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content, required=required, optional=optional, max_rows=max_rows)
    if content.startswith(OLE_MAGIC):
        raise refuse("This is an Excel 97-2003 workbook (.xls) or a password-protected one; remove any password and "
                     + SAVE_AS + ".")
    return _collect(_csv_rows(content), required=required, optional=optional, max_rows=max_rows)


def _collect(rows: Iterable[Sequence[Any]], *, required: Sequence[str], optional: Sequence[str],
             max_rows: int) -> Sheet:
    """The header (row 1), then only the wanted columns of each later row, refusing a row past the limit."""
    rows = iter(rows)
    sheet = _header(next(rows, None), required=required, optional=optional)
    for number, row in enumerate(rows, start=2):
        if number > max_rows + 1:
            raise too_many_rows(max_rows)
        sheet.rows.append((number, {name: row[at] if at < len(row) else None for name, at in sheet.columns.items()}))
    return sheet


def _header(row: Sequence[Any] | None, *, required: Sequence[str], optional: Sequence[str]) -> Sheet:
    if row is None:
        raise refuse("The file is empty.")
    header = [str(cell).strip().lower() if cell is not None else "" for cell in row]
    if missing := [column for column in required if column not in header]:
        raise refuse(f"Row 1 (the header) lacks the column(s): {', '.join(missing)}.")
    return Sheet(header=header, columns={name: header.index(name) for name in (*required, *optional) if name in header})


# --- CSV ---------------------------------------------------------------------------------------
def _csv_encoding(content: bytes) -> str:
    """UTF-8 when every byte decodes as such, else GB18030; checked in pieces, never holding the text twice."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), 1 << 20):
                decoder.decode(content[start:start + (1 << 20)])
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise refuse("Neither UTF-8 nor GB18030 text; " + SAVE_AS + ".")


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = io.TextIOWrapper(io.BytesIO(content), encoding=_csv_encoding(content), newline="")
    try:
        yield from csv.reader(text)
    except csv.Error as exc:  # e.g. a cell past the csv module's field size limit
        raise refuse(f"Not a readable CSV ({exc}).") from exc


# --- XLSX --------------------------------------------------------------------------------------
def _first_worksheet(content: bytes, *, data_only: bool):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise refuse("The .xlsx workbook cannot be read (damaged, or not written by a spreadsheet program); open it "
                     "in Excel and save it again, or " + SAVE_AS + ".") from exc
    if not workbook.worksheets:
        raise refuse("The workbook has no worksheet.")
    return workbook.worksheets[0]


def _read_xlsx(content: bytes, *, required: Sequence[str], optional: Sequence[str], max_rows: int) -> Sheet:
    check_xlsx(content, max_rows=max_rows)
    sheet = _first_worksheet(content, data_only=False)
    # The declared size first: a few bytes may claim five million rows.
    if sheet.max_row is not None and sheet.max_row > max_rows + 1:
        raise too_many_rows(max_rows)
    # Then read what is there (a stale or lying size must neither hide rows nor cut columns), stopping one
    # row past the limit: openpyxl fills a gap before a far row with empty rows, and those stop too.
    sheet.reset_dimensions()
    try:
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        last_column = max(_header(header, required=required, optional=optional).columns.values()) + 1
        body = sheet.iter_rows(min_row=2, max_row=max_rows + 2, max_col=last_column, values_only=True)
        found = _collect(itertools.chain([header], body), required=required, optional=optional, max_rows=max_rows)
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged worksheet part surfaces only while it is parsed
        raise refuse("The worksheet cannot be read (damaged); open the file in Excel and save it again, or "
                     + SAVE_AS + ".") from exc
    finally:
        sheet.parent.close()
    del sheet  # the workbook and its shared texts go before the values' reading loads them again
    _settle_formulas(content, found, last_column=last_column)
    return found


def _settle_formulas(content: bytes, found: Sheet, *, last_column: int) -> None:
    """Read without `data_only`, a formula cell is its formula ("=B2*2"); read with it, the result Excel saved
    beside it, or nothing when none was saved. Only a sheet with formulas in the wanted columns is read twice."""
    formulas = {(number, name) for number, cells in found.rows for name, value in cells.items()
                if isinstance(value, str) and value.startswith("=")}
    if not formulas:
        return
    last_row = max(number for number, _ in formulas)
    gc.collect()  # the first reading's workbook and sheet point at each other: free its texts now, not later
    values = _first_worksheet(content, data_only=True)
    values.reset_dimensions()
    saved = values.iter_rows(min_row=2, max_row=last_row, max_col=last_column, values_only=True)
    for (number, cells), row in zip(found.rows, saved):
        for name, at in found.columns.items():
            if (number, name) in formulas:
                result = row[at] if at < len(row) else None
                # Text that merely starts with "=" reads the same both ways.
                cells[name] = UncalculatedFormula(cells[name]) if result is None else result
