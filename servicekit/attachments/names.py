"""An uploaded file's name made safe to keep and show: no folders, no control characters, a bounded length."""
from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 200


def display_name(raw: str | None, *, extension: str) -> str:
    """The name to keep for `raw` (as the client sent it), for a file whose usual extension is `extension`.

    Only the last path component is kept (a browser on Windows may send `C:\\Users\\…\\plan.pdf`), control and
    format characters and lone surrogates are dropped, and a long name is cut in its stem so its extension stays.
    The name is only ever shown and offered back on download; the store keys files by id, never by it.
    """
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")).strip(" .")
    if not name:
        name = "attachment" + extension
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) < 10:
            name = stem[:MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH]
    return name
