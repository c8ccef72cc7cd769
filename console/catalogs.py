"""The console's message catalogs: every string a page shows, written in English in the code and templates, said
in Chinese by `translations/<part>/zh/LC_MESSAGES/messages.po` (one catalog per area, so areas never edit the
same file; console/i18n.py merges them, the area's own last).

    python -m console.catalogs check     # every shown string has its Chinese; the .mo files match the .po
    python -m console.catalogs compile   # write each .mo from its .po (commit both)
    python -m console.catalogs missing   # the strings still without Chinese, as .po entries to paste
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).parent
TRANSLATIONS = HERE / "translations"
LANGUAGE = "zh"
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2),
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
FIXED_STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
METHODS = [("**/static/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2")]


def parts() -> list[Path]:
    """Each area's catalog folder (the one Flask-Babel is given), sorted."""
    return sorted(path for path in TRANSLATIONS.iterdir() if (path / LANGUAGE / "LC_MESSAGES").is_dir())


def _po_path(part: Path) -> Path:
    return part / LANGUAGE / "LC_MESSAGES" / "messages.po"


def shown_strings() -> dict[str, list[str]]:
    """Every message id the code and templates say → where it is said."""
    found: dict[str, list[str]] = {}
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(HERE), METHODS, options_map=options, keywords=KEYWORDS, strip_comment_tags=True):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def translated() -> dict[str, str]:
    """msgid → Chinese across every area's catalog."""
    said: dict[str, str] = {}
    for part in parts():
        with open(_po_path(part), "rb") as handle:
            catalog = read_po(handle, locale=LANGUAGE)
        for message in catalog:
            if message.id and message.string:
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                said[key] = message.string if isinstance(message.string, str) else message.string[0]
    return said


def compiled(part: Path) -> bytes:
    with open(_po_path(part), "rb") as handle:
        catalog: Catalog = read_po(handle, locale=LANGUAGE)
    # Babel stamps a header without dates with the time of reading; a fixed stamp makes the .mo reproducible.
    catalog.creation_date = catalog.revision_date = FIXED_STAMP
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def missing() -> dict[str, list[str]]:
    said = translated()
    return {msgid: where for msgid, where in shown_strings().items() if msgid not in said}


def stale() -> list[Path]:
    """The .mo files that differ from what their .po compiles to."""
    return [part for part in parts()
            if not (_po_path(part).with_suffix(".mo")).exists()
            or _po_path(part).with_suffix(".mo").read_bytes() != compiled(part)]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "compile":
        for part in parts():
            _po_path(part).with_suffix(".mo").write_bytes(compiled(part))
        return 0
    if command == "missing":
        for msgid, where in sorted(missing().items()):
            print(f"#: {where[0]}\nmsgid {_quoted(msgid)}\nmsgstr \"\"\n")
        return 0
    lacking, old = missing(), stale()
    for msgid, where in sorted(lacking.items()):
        print(f"no Chinese for {msgid!r} ({where[0]})")
    for part in old:
        print(f"{_po_path(part).with_suffix('.mo')} is out of date: python -m console.catalogs compile")
    return 1 if lacking or old else 0


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
