"""An import's refusal read for people: the rows it refused by number, each reason in the page's language.

The API answers a bad file 422 with `errors` keyed `"row N"` (the header is row 1), `"file"` for the file as a
whole, or `"<depot>/<item>"` when rows together overflow a position; a well-formed file that would bring stock
into a retired depot or of a retired item is 409 with the same `"row N"` keys under `rows`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from console.gateway_api import Refused
from console.stock.api_words import said

ROW_KEY = re.compile(r"row (\d+)", re.IGNORECASE)


@dataclass
class RefusedImport:
    """What the page shows of a refused import: the refused rows in order, then whatever is not a row's."""

    status: int
    detail: str
    file_name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    file: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def read(refusal: Refused, *, file_name: str) -> RefusedImport:
    problem = refusal.problem
    keyed = problem.get("rows") if refusal.status == 409 else problem.get("errors")
    found = RefusedImport(status=refusal.status, detail=refusal.detail, file_name=file_name)
    for key, messages in (keyed or {}).items():
        messages = [messages] if isinstance(messages, str) else list(messages)
        row = ROW_KEY.fullmatch(str(key))
        if row:
            found.rows.append((int(row.group(1)), [said(m) for m in messages]))
        elif key == "file":
            found.file.extend(said(m) for m in messages)
        else:  # e.g. "WH-01/LJ-001": several rows together would hold more than the ledger can count
            found.other.extend(f"{key}: {said(m)}" for m in messages)
    found.rows.sort()
    if not (found.rows or found.file or found.other):
        found.other.append(refusal.detail)
    return found
