"""An import's refusal read for people: the rows it refused by number, each reason in the page's language.

The API answers a bad file 422 with `errors` keyed `"row N"` (the header is row 1), `"file"` for the file as a
whole, or `"<depot>/<item>"` when rows together overflow a position; a well-formed file that would bring stock
into a retired depot or of a retired item is 409 with the same `"row N"` keys under `rows`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from console.gateway_api import Refused

ROW_KEY = re.compile(r"row (\d+)", re.IGNORECASE)

# The reasons the API gives for a row or a file, in its words, and how the page says them.
REASONS: list[tuple[re.Pattern, object]] = [(re.compile(pattern), words) for pattern, words in (
    (r"no depot with warehouse_code '(?P<code>.*)'", _l("There is no depot with the code “%(code)s”.")),
    (r"no item with item_code '(?P<code>.*)'", _l("There is no item with the code “%(code)s”.")),
    (r"(?P<code>.+) is equipment: register its units, do not import a count",
     _l("%(code)s is equipment: register each unit by its serial number instead of importing a count.")),
    (r"quantity '(?P<value>.*)' is not a number", _l("The quantity “%(value)s” is not a number.")),
    (r"quantity must be more than 0", _l("The quantity must be more than 0.")),
    (r"quantity must be at most (?P<limit>.+)", _l("The quantity must be at most %(limit)s.")),
    (r"quantity has more than 3 decimal places", _l("The quantity has more than 3 decimal places.")),
    (r"expiry_date '(?P<value>.*)' is not a date \(YYYY-MM-DD\)",
     _l("The expiry date “%(value)s” is not a date (YYYY-MM-DD).")),
    (r"expiry_date (?P<day>\S+) is already past; expired stock cannot be received\.",
     _l("The expiry date %(day)s has passed: expired stock cannot be received.")),
    (r"batch_no is longer than 100 characters", _l("The batch number is longer than 100 characters.")),
    (r"Depot (?P<depot>.+) is retired: it takes no new stock\..*",
     _l("Depot %(depot)s is retired: it takes no new stock.")),
    (r"Item (?P<item>.+) is retired: no new stock of it is taken\..*",
     _l("Item %(item)s is retired: no new stock of it is taken.")),
    (r"Row 1 \(the header\) lacks the column\(s\): (?P<columns>.+)\.",
     _l("Row 1 (the header) lacks the column(s): %(columns)s.")),
    (r"The file is empty\.", _l("The file is empty.")),
    (r"No row has a quantity to receive\.", _l("No row has a quantity to receive.")),
    (r"At most (?P<limit>[\d,]+) rows below the header per import; split the file\.",
     _l("At most %(limit)s rows below the header per import: split the file.")),
)]


def said(message: str) -> str:
    """One of the API's reasons in the page's language; one it does not know, as the API wrote it."""
    for pattern, words in REASONS:
        match = pattern.fullmatch(message.strip())
        if match:
            return str(words) % match.groupdict() if match.groupdict() else str(words)
    return message


@dataclass
class RefusedImport:
    """What the page shows of a refused import: the refused rows in order, then whatever is not a row's."""

    status: int
    detail: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    file: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def read(refusal: Refused) -> RefusedImport:
    problem = refusal.problem
    keyed = problem.get("rows") if refusal.status == 409 else problem.get("errors")
    found = RefusedImport(status=refusal.status, detail=refusal.detail)
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
