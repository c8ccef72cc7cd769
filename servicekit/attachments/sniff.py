"""What an uploaded file is, judged by its bytes (magic numbers; an OOXML zip by the parts it holds), never its name."""
from __future__ import annotations

import zipfile
from typing import BinaryIO, NamedTuple

from servicekit.attachments.names import extension as _extension

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The extensions each kind goes by, its usual one first. A name with one of these must match what the bytes are; a
# name with none of them (no extension, ".tmp", ".html") is taken as the bytes say and kept with the usual one added
# (servicekit/attachments/names.py).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"), DOCX: (".docx",), XLSX: (".xlsx",),
}
ALLOWED_NAMES = "PDF, DOCX, XLSX, JPEG or PNG"

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP = b"PK\x03\x04"
# The part an OOXML package must hold beside [Content_Types].xml to be that kind of document.
_OOXML_MAIN_PART = ((DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"))
# A real document holds dozens of parts, a large workbook a few thousand; listing a zip costs memory and time for
# each entry its central directory holds, so a zip past these is refused from its end record, before it is listed.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024


class Unsupported(Exception):
    """The file is none of the accepted kinds, or its name claims another kind than its bytes are."""


class Judged(NamedTuple):
    content_type: str
    extensions: tuple[str, ...]  # the ones it goes by, its usual one first


def judge(file: BinaryIO, filename: str) -> Judged:
    """The accepted kind `file` (seekable, rewound afterwards) is; Unsupported saying why not. `filename` is the name
    as it will be kept (names.clean): a name judged raw could pass as `photo.jpg.` and be kept as `photo.jpg`."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    content_type = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if content_type is None and head.startswith(_ZIP):
        content_type = _ooxml_kind(file)
    if content_type is None:
        raise Unsupported(f"The file is not a {ALLOWED_NAMES} file (judged by its content, not its name).")
    claimed = _claimed_kind(filename)
    if claimed is not None and claimed != content_type:
        raise Unsupported(f"The file's name ends in {_extension(filename)} but its content is "
                          f"{EXTENSIONS[content_type][0].lstrip('.').upper()}: rename it or send the right file.")
    return Judged(content_type, EXTENSIONS[content_type])


def _ooxml_kind(file: BinaryIO) -> str | None:
    """DOCX or XLSX when the zip is an OOXML package of that kind; None for any other (or broken) zip."""
    try:
        _refuse_a_huge_directory(file)
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in _OOXML_MAIN_PART if part in names), None)


def _refuse_a_huge_directory(file: BinaryIO) -> None:
    """Unsupported when the zip's end record (zipfile's own reader of it, Zip64 included) counts more entries or a
    larger central directory than a document has. The directory's size is what bounds the listing: ZipFile reads
    entries until that many bytes are used, whatever count the record claims."""
    end = zipfile._EndRecData(file)  # the reader ZipFile itself uses (private, but stable since 2.x); None if none
    if end is None:
        raise zipfile.BadZipFile("no end of central directory record")
    if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ZIP_ENTRIES or end[zipfile._ECD_SIZE] > MAX_ZIP_DIRECTORY_BYTES:
        raise Unsupported(f"The file is a zip of more than {MAX_ZIP_ENTRIES} parts or a directory over "
                          f"{MAX_ZIP_DIRECTORY_BYTES // 1024} KiB: no DOCX or XLSX is that large inside.")


def _claimed_kind(filename: str) -> str | None:
    extension = _extension(filename)
    return next((kind for kind, known in EXTENSIONS.items() if extension in known), None)
