"""An uploaded file's name made safe to keep and show: no folders, no control characters, a bounded length, and an
extension that says what the file is."""
from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 200

# Trailing dots and spaces are dropped by Windows when a file is saved (`photo.jpg.` is saved as `photo.jpg`), so
# they are dropped before a name is judged; leading ones would make a hidden file or a name all extension.
_EDGES = re.compile(r"^[\s.]+|[\s.]+$")


def clean(raw: str | None) -> str:
    """`raw` (as the client sent it) as it will be kept, before any extension is added: the last path component
    only (a browser on Windows may send `C:\\Users\\…\\plan.pdf`), control and format characters and lone
    surrogates dropped, no dots or white space at either end. It may be empty."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    return _EDGES.sub("", name)


def extension(name: str) -> str:
    """`name`'s extension, lower case with its dot (`.pdf`); empty when it has none."""
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def display_name(raw: str | None, *, extensions: tuple[str, ...]) -> str:
    """The name to keep for `raw`, for a file whose kind goes by `extensions` (its usual one first).

    The name is cleaned (`clean`); one whose extension is not one of the kind's gets the usual one added
    (`evil.html` holding a PDF is kept as `evil.html.pdf`), so a download never opens as another kind than the
    bytes were judged to be; a long name is cut in its stem so its extension stays. The name is only ever shown
    and offered back on download; the store keys files by id, never by it.
    """
    name = clean(raw) or "attachment"
    if extension(name) not in extensions:
        name += extensions[0]
    if len(name) > MAX_NAME_LENGTH:
        stem, _dot, suffix = name.rpartition(".")
        name = stem[:MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix
    return name
