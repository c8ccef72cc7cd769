"""The hazard pages' forms: the list's filters, and a hazard found in an inspection as the API records it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, InputRequired

from console.supervision.forms import REQUIRED, ListFilter, SentForm, an_id, known, present, text_field
from console.supervision.vocabulary import HAZARD_LEVELS, worded


class HazardFilter(ListFilter):
    """`org_id` is given the enterprises (choosers.enterprise_choices)."""

    org_id = SelectField(_l("Enterprise"), validate_choice=False)
    level = SelectField(_l("Level"), choices=worded(HAZARD_LEVELS, blank=_l("Both levels")), validate_choice=False)

    def params(self) -> dict:
        return {"org_id": an_id(self.org_id.data), "level": known(self.level.data, HAZARD_LEVELS)}


class HazardForm(SentForm):
    """services/supervision/api/order_schemas.py HazardRequestSchema."""

    org_id = SelectField(_l("Enterprise"), validators=[DataRequired(REQUIRED)], validate_choice=False)
    title = text_field(_l("Hazard"), 300, required=True, description=_l("In a few words, e.g. 主通风机无备用电源"))
    level = SelectField(_l("Level"), choices=worded(HAZARD_LEVELS), default="general",
                        description=_l("A major hazard (重大事故隐患) as the judging standards of its industry define "
                                       "it"))
    description = text_field(_l("What was found"), 20000, required=True, area=True)
    location = text_field(_l("Where"), 500, description=_l("e.g. the workshop, shaft or storage area"))
    found_at = DateField(_l("Found on"), [InputRequired(REQUIRED)])
    found_by = text_field(_l("Found by"), 200, required=True, description=_l("The inspector who found it"))

    def payload(self) -> dict:
        return present({"org_id": self.org_id.data, "title": self.title.data, "description": self.description.data,
                        "level": self.level.data, "location": self.location.data,
                        "found_at": self.found_at.data.isoformat() if self.found_at.data else None,
                        "found_by": self.found_by.data})
