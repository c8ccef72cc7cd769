"""The drill's own words, as the forms offer them and the pages say them (AQ/T 9007 forms and scopes, the
AQ/T 9009 criteria and ratings, a finding's severity)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

FORMS = (("tabletop", _l("Tabletop")), ("live", _l("Live")))
# "comprehensive" is also a plan's type (综合应急预案): a drill's scope is said here, not in console/words.py.
SCOPES = (("single", _l("Single")), ("comprehensive", _l("Comprehensive drill")))
CRITERIA = (
    ("plan_suitability", _l("Plan suitability")),
    ("preparation", _l("Preparation")),
    ("command_coordination", _l("Command and coordination")),
    ("response_actions", _l("Response actions")),
    ("equipment_materials", _l("Equipment and materials")),
)
RATINGS = (("excellent", _l("Excellent")), ("good", _l("Good")), ("fair", _l("Fair")), ("poor", _l("Poor")))
SEVERITIES = (("low", _l("Low")), ("medium", _l("Medium")), ("high", _l("High")))
STATUSES = ("pending_resources", "ready", "resource_shortfall", "in_progress", "completed", "cancelled")


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as a SelectField's choices."""
    return [SelectChoice(value, label) for value, label in pairs]
