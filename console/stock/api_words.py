"""The resources API's refusals, written in English, said in the page's language when they are the known ones.

The API words its reasons for people (an import's row, a serial number taken); this matches them by shape and
says them again through the catalog. A reason it does not know is shown as the API wrote it.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# The import's reasons for refusing a row or a file (services/resources/use_cases/receipt_rows.py, sheet_reading.py).
IMPORT_REASONS: list[tuple[re.Pattern, object]] = [(re.compile(pattern), words) for pattern, words in (
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

# The equipment API's refusals (services/resources/use_cases/equipment.py).
EQUIPMENT_REASONS: list[tuple[re.Pattern, object]] = [(re.compile(pattern), words) for pattern, words in (
    (r"(?P<item>\S+) unit (?P<serial>.+) is already registered\.",
     _l("%(item)s unit %(serial)s is registered already.")),
    (r"Unit (?P<serial>.+) is retired; it is no longer inspected\.",
     _l("Unit %(serial)s is decommissioned; it is no longer inspected.")),
    (r"Unit (?P<serial>.+) is already retired\.", _l("Unit %(serial)s is decommissioned already.")),
    (r"Unit (?P<serial>.+) is reserved; release the reservation first\.",
     _l("Unit %(serial)s is reserved: release the reservation first.")),
    (r"Must not be in the future\.", _l("An inspection cannot lie in the future.")),
)]

REASONS = IMPORT_REASONS + EQUIPMENT_REASONS

# What the API writes in the ledger beside the movements it makes: the equipment's (use_cases/equipment.py: a unit's
# registration is its receipt, a grounded unit's reservation moves to another, decommissioning takes it off) and a
# requisition's (its waybill, a short receipt, what came back and in what state, what was used).
LEDGER_NOTES: list[tuple[re.Pattern, object]] = [(re.compile(pattern), words) for pattern, words in (
    (r"equipment unit (?P<serial>.+)", _l("equipment unit %(serial)s registered")),
    (r"unit out of service", _l("the unit went out of service")),
    (r"replaces a unit out of service", _l("in place of a unit out of service")),
    (r"retired: (?P<reason>.+)", _l("unit decommissioned: %(reason)s")),
    # A requisition's lines (services/resources/use_cases/requisition_shipping.py).
    (r"waybill (?P<waybill>.+?) to (?P<destination>.+)", _l("waybill %(waybill)s, to %(destination)s")),
    (r"short on receipt: (?P<arrived>\S+) of (?P<sent>\S+) arrived",
     _l("short on receipt: %(arrived)s of %(sent)s arrived")),
    (r"returned usable", _l("returned usable")),
    (r"returned damaged", _l("returned damaged")),
    (r"used", _l("used up in the field")),
)]


def said(message: str, reasons: list[tuple[re.Pattern, object]] = REASONS) -> str:
    """One of the API's `reasons` in the page's language; one it does not know, as the API wrote it."""
    for pattern, words in reasons:
        match = pattern.fullmatch(message.strip())
        if match:
            return str(words) % match.groupdict() if match.groupdict() else str(words)
    return message
