"""An uploaded XLSX checked before openpyxl parses it: what it is, and that no part of it can cost unbounded memory.

openpyxl keeps a whole <row> element (every cell in it) while it reads that row, keeps the emptied
elements of every row it has passed, reads each worksheet's rows to its end when the sheet declares
no size, and holds every shared string. So a few kilobytes that inflate to millions of rows, or to one
row of millions of cells, take gigabytes. Each part is scanned here first, inflating it piece by
piece, and the file is refused at the first sign of such a shape.
"""
from __future__ import annotations

import io
import re
import zipfile

from servicekit.errors import InvalidInput

# A 20,000-row sheet with every exported column inflates to about 16 MB of XML.
MAX_EXPANDED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 1_000
MAX_ROW_BYTES = 256 * 1024  # a receipt row is under 1 KB; 256 KB of the smallest cells is ~65,000 of them
MAX_SHARED_STRINGS = 300_000  # 20,000 rows x 15 distinct texts
# openpyxl holds every shared text in memory (twice while formulas are settled): their part is bounded on its
# own. 20,000 rows of distinct codes and batch numbers take about 3 MB of it.
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
OPENDOCUMENT = b"application/vnd.oasis.opendocument."
ODS_MIMETYPE = OPENDOCUMENT + b"spreadsheet"
SAVE_AS = "save it as .xlsx or CSV (UTF-8) and import that file"

_NAME = rb"<(?:[A-Za-z_][\w.-]*:)?"  # an element, with or without a namespace prefix
_ROW = re.compile(_NAME + rb"row[\s/>]")
_SHARED_STRING = re.compile(_NAME + rb"si[\s/>]")
_ROWS_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
_DIMENSION = re.compile(_NAME + rb"dimension\s[^>]{0,200}?ref=\"[A-Za-z]{0,3}\d{0,7}:?[A-Za-z]{0,3}(\d{1,12})\"")
_CHUNK = 1 << 20
_OVERLAP = 512  # longer than any pattern above can match, so a tag split between two pieces is found once


def refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]})


def too_many_rows(max_rows: int) -> InvalidInput:
    return refuse(f"At most {max_rows:,} rows below the header per import; split the file.")


def check_xlsx(content: bytes, *, max_rows: int) -> None:
    """Refuse (422 on `file`) a ZIP archive that is no XLSX, or whose parts openpyxl could not read in bounded memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse("The file looks like an .xlsx workbook but is damaged; open it in Excel and save it again, or "
                     + SAVE_AS + ".") from exc
    names = {member.filename for member in members}
    if any(member.flag_bits & 0x1 for member in members):  # zipfile cannot open an encrypted part
        raise refuse("The workbook is password-protected; remove its password in Excel (File → Info → Protect "
                     "Workbook), or " + SAVE_AS + ".")
    # OpenDocument names its kind in a `mimetype` member, whatever the file is called.
    kind = _member_start(archive, "mimetype") if "mimetype" in names else b""
    if kind.startswith(ODS_MIMETYPE):
        raise refuse("This is an OpenDocument spreadsheet (.ods); " + SAVE_AS + ".")
    if kind.startswith(OPENDOCUMENT):
        raise refuse("This is an OpenDocument file, not a spreadsheet; " + SAVE_AS + ".")
    if "xl/workbook.xml" not in names:
        raise refuse("This ZIP archive is not an Excel workbook (.xlsx); " + SAVE_AS + ".")
    # zipfile never inflates a member past the size its header declares, so these sums bound the work.
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_EXPANDED_BYTES:
        raise refuse(f"The workbook expands to more than {MAX_EXPANDED_BYTES // 2**20} MB; "
                     "keep only the receipt sheet, or " + SAVE_AS + ".")
    if any(member.filename.lower().endswith("sharedstrings.xml") and member.file_size > MAX_SHARED_STRINGS_BYTES
           for member in members):
        raise refuse(f"The workbook's texts expand to more than {MAX_SHARED_STRINGS_BYTES // 2**20} MB; keep only "
                     "the receipt sheet, or " + SAVE_AS + ".")
    shared = 0
    for member in members:
        if member.filename.endswith(".xml"):
            shared += _scan(archive, member, max_rows=max_rows)
    if shared > MAX_SHARED_STRINGS:
        raise refuse(f"The workbook holds more than {MAX_SHARED_STRINGS:,} distinct texts; keep only the receipt "
                     "sheet, or " + SAVE_AS + ".")


def _member_start(archive: zipfile.ZipFile, name: str, limit: int = 200) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(limit).strip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return b""


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, max_rows: int) -> int:
    """Rows, row sizes and the declared size of one part, inflated a piece at a time; returns its shared strings.

    Every part is scanned, not only the first worksheet: openpyxl sizes every worksheet when it opens a workbook.
    """
    rows, row_start, shared, offset, carry = 0, None, 0, 0, b""
    where = "" if member.filename.endswith("sheet1.xml") else f" (in its part {member.filename})"
    try:
        stream = archive.open(member)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise refuse("The .xlsx workbook is damaged; open it in Excel and save it again, or " + SAVE_AS + ".") from exc
    with stream:
        while True:
            try:
                piece = stream.read(_CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:  # zlib.error too
                raise refuse("The .xlsx workbook is damaged; open it in Excel and save it again, or "
                             + SAVE_AS + ".") from exc
            buffer = carry + piece
            end = len(buffer) if not piece else max(len(buffer) - _OVERLAP, 0)
            base = offset - len(carry)
            if declared := _DIMENSION.search(buffer, 0, end):
                if int(declared.group(1)) > max_rows + 1:
                    raise too_many_rows(max_rows)
            for found in _ROW.finditer(buffer, 0, end):
                rows += 1
                if rows > max_rows + 1:
                    raise too_many_rows(max_rows)
                start = base + found.start()
                if row_start is not None and start - row_start > MAX_ROW_BYTES:
                    raise _row_too_wide(rows - 1, where)
                row_start = start
            if row_start is not None and (closing := _ROWS_END.search(buffer, 0, end)):
                if base + closing.start() - row_start > MAX_ROW_BYTES:
                    raise _row_too_wide(rows, where)
                row_start = None  # what follows the rows (formatting, validations) is no row
            shared += len(_SHARED_STRING.findall(buffer, 0, end))
            # The row still open has grown past the bound: no need to inflate the rest of it.
            if row_start is not None and base + end - row_start > MAX_ROW_BYTES:
                raise _row_too_wide(rows, where)
            if not piece:
                return shared
            carry, offset = buffer[end:], offset + len(piece)


def _row_too_wide(number: int, where: str) -> InvalidInput:
    return refuse(f"Row {number:,}{where} holds more than {MAX_ROW_BYTES // 1024} KB of cells; keep only the receipt "
                  "columns, or " + SAVE_AS + ".")
