"""The supervision API's codes (services/supervision/domain), in the order a person reads them, and choices of
them said in the page's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from console import words

HAZARD_LEVELS = ("general", "major")  # 一般事故隐患, 重大事故隐患
ORDER_STATUSES = ("issued", "acknowledged", "reported", "closed")
OPEN_ORDER_STATUSES = ORDER_STATUSES[:-1]  # everything but closed (销号)
POSITIONS = ("principal", "deputy")  # 一把手, 分管领导
REVIEW_RESULTS = ("passed", "failed")
FOLLOW_UP_STATUSES = ("scheduled", "held", "relapsed")
FOLLOW_UP_RESULTS = ("held", "relapsed")
WARNING_KINDS = ("rainstorm", "snowstorm", "freezing", "typhoon", "flood", "geological", "heat", "other")
WARNING_LEVELS = ("blue", "yellow", "orange", "red")
DIRECTIVES = ("stop_and_evacuate", "heightened_watch", "other")
# The gateway's industries (gateway/models.py INDUSTRIES) a warning may be aimed at.
INDUSTRIES = ("mining", "hazardous_chemicals", "fireworks", "metallurgy", "rail_transit", "construction",
              "crowded_venue", "other")
# A warning's own statuses: "issued" and "closed" mean another thing for an order, so they have their own words.
WARNING_STATUSES = {"issued": _l("In force"), "closed": _l("Lifted")}
DEFAULT_ACK_MINUTES = 30


def worded(values: tuple[str, ...], *, blank=None):
    """Choices of API codes said in the page's language, after a `blank` one when given (called when the form is
    made, in the request)."""
    return lambda: [*([SelectChoice("", blank)] if blank else []),
                    *(SelectChoice(value, words.label(value)) for value in values)]


def warning_status_choices(*, blank):
    return lambda: [SelectChoice("", blank), *(SelectChoice(value, said) for value, said in WARNING_STATUSES.items())]
