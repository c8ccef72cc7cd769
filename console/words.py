"""The words the API answers as codes (statuses, kinds, types), said in the page's language, and their colours."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    # plans
    "draft": _l("Draft"), "in_review": _l("In review"), "approved": _l("Approved"), "retired": _l("Retired"),
    "comprehensive": _l("Comprehensive plan"), "special": _l("Special plan"), "onsite": _l("On-site plan"),
    "overdue": _l("Overdue"), "due_soon": _l("Due soon"), "compliant": _l("Compliant"),
    # drills
    "pending_resources": _l("Waiting for resources"), "ready": _l("Ready"),
    "resource_shortfall": _l("Resource shortfall"), "in_progress": _l("In progress"), "completed": _l("Completed"),
    "cancelled": _l("Cancelled"), "tabletop": _l("Tabletop"), "live": _l("Live"), "single": _l("Single"),
    "excellent": _l("Excellent"), "good": _l("Good"), "fair": _l("Fair"), "poor": _l("Poor"),
    # corrective actions
    "open": _l("Open"), "done": _l("Done"), "verified": _l("Verified"),
    # stock
    "receipt": _l("Receipt"), "issue": _l("Issue"), "transfer_out": _l("Transfer out"),
    "transfer_in": _l("Transfer in"), "adjustment": _l("Stocktake"), "reservation": _l("Reservation"),
    "release": _l("Release"), "consumption": _l("Consumption"), "dispatch": _l("Dispatch"),
    "return": _l("Return"), "loss": _l("Loss"), "disposal": _l("Write-off"),
    "held": _l("Held"), "released": _l("Released"), "consumed": _l("Consumed"),
    "material": _l("Material"), "equipment": _l("Equipment"),
    "in_service": _l("In service"), "out_of_service": _l("Out of service"),
    "pass": _l("Pass"), "fail": _l("Fail"),
    "low_stock": _l("Low stock"), "expiring": _l("Expiring"), "expired": _l("Expired"),
    "inspection_due": _l("Inspection due"),
    "national": _l("National"), "provincial": _l("Provincial"), "municipal": _l("Municipal"),
    "county": _l("County"), "enterprise": _l("Enterprise"),
    # organisations and people
    "bureau": _l("Bureau"), "custodian": _l("Custodian unit"),
    "own": _l("Own organisation"), "subtree": _l("Organisation and those below"),
    "admin": _l("Administrator"), "logistics": _l("Logistics"), "planner": _l("Planner"),
    "inspector": _l("Inspector"), "viewer": _l("Viewer"),
    "mining": _l("Mining"), "hazardous_chemicals": _l("Hazardous chemicals"), "fireworks": _l("Fireworks"),
    "metallurgy": _l("Metallurgy"), "rail_transit": _l("Rail transit"), "construction": _l("Construction"),
    "crowded_venue": _l("Crowded venue"), "other": _l("Other"),
    # drills: a finding's severity
    "low": _l("Low"), "medium": _l("Medium"), "high": _l("High"),
    # plans area: compliance as the API says it, a version's endings, the six revision triggers (art. 36)
    "ok": _l("Compliant"), "superseded": _l("Superseded"), "withdrawn": _l("Withdrawn"),
    "law_changed": _l("Laws or regulations changed"), "command_changed": _l("Command structure or duties changed"),
    "risk_changed": _l("Risks faced changed"), "resources_changed": _l("Key emergency resources changed"),
    "drill_finding": _l("Problems found in drills or real response"),
    # stock: why a lot was written off (the API's `reason` of a disposal; "expired" and "other" are above)
    "damaged": _l("Damaged"), "quality_failed": _l("Failed quality inspection"),
    # stock: requisitions (动用申请) — their statuses ("approved", "cancelled" are above; "received" is said
    # "Signed for" because the stock catalog's "Received" is a lot's receipt date), purposes ("other" is above) and
    # the condition of what comes back ("damaged" is above)
    "submitted": _l("Submitted"), "rejected": _l("Rejected"), "in_transit": _l("In transit"),
    "received": _l("Signed for"), "closed": _l("Closed"),
    "emergency": _l("Emergency response"), "drill": _l("Drill"), "training": _l("Training"),
    "usable": _l("Usable"),
    # supervision (隐患整改与预警): a hazard's level, an order's statuses ("closed" is above: 销号 on these pages),
    # who signs it and how a review ends; a look-back's statuses ("held" is above); a warning target's first and
    # last statuses (its middle two, and a warning's own, are said by templates/supervision/_macros.html: the same
    # codes mean other things there); a warning's kinds, levels and directives
    "general": _l("General hazard"), "major": _l("Major hazard"),
    "issued": _l("Issued"), "acknowledged": _l("Acknowledged"), "reported": _l("Awaiting review"),
    "principal": _l("Head of the unit"), "deputy": _l("Deputy in charge"),
    "passed": _l("Passed"), "failed": _l("Failed"),
    "scheduled": _l("Scheduled"), "relapsed": _l("Relapsed"),
    "sent": _l("Awaiting acknowledgement"), "resumed": _l("Resumed"),
    "rainstorm": _l("Rainstorm"), "snowstorm": _l("Snowstorm"), "freezing": _l("Freezing"), "typhoon": _l("Typhoon"),
    "flood": _l("Flood"), "geological": _l("Geological hazard"), "heat": _l("Heat"),
    "blue": _l("Blue"), "yellow": _l("Yellow"), "orange": _l("Orange"), "red": _l("Red"),
    "stop_and_evacuate": _l("Stop production and evacuate"), "heightened_watch": _l("Heightened watch"),
}

TONES = {
    "approved": "ok", "ready": "ok", "completed": "ok", "verified": "ok", "compliant": "ok", "in_service": "ok",
    "pass": "ok", "held": "info", "in_progress": "info", "in_review": "info", "pending_resources": "info",
    "done": "info", "due_soon": "warn", "expiring": "warn", "low_stock": "warn", "inspection_due": "warn",
    "open": "warn", "draft": "muted", "retired": "muted", "cancelled": "muted", "released": "muted",
    "overdue": "bad", "expired": "bad", "resource_shortfall": "bad", "out_of_service": "bad", "fail": "bad",
    # drills: a finding's severity
    "high": "bad", "medium": "warn", "low": "info",
    # plans area
    "ok": "ok", "superseded": "muted", "withdrawn": "muted",
    # stock: requisitions (a rejected one is refused, a closed one settled)
    "submitted": "warn", "rejected": "bad", "in_transit": "info", "received": "info", "closed": "ok",
    # supervision: a major hazard and a relapse are the bureau's worry; an order waits on the enterprise until it
    # reports, then on the inspector
    "general": "warn", "major": "bad", "issued": "warn", "acknowledged": "info", "reported": "info",
    "passed": "ok", "failed": "bad", "scheduled": "info", "relapsed": "bad", "sent": "warn", "resumed": "ok",
}


def label(value: str | None) -> str:
    if value is None:
        return "—"
    return str(LABELS.get(value, value))


def tone(value: str) -> str:
    return TONES.get(value, "muted")
