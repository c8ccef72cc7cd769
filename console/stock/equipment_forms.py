"""The equipment pages' forms: the units filter, registering a unit, recording an inspection, retiring a unit."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from console.stock import local_time
from console.stock.choosers import ANY
from console.stock.forms import REQUIRED
from console.stock.list_filters import DepotItemFilter

UNIT_STATUSES = ("in_service", "out_of_service", "retired")


def unit_status_word(status: str):
    """A unit's status in words: a retired unit is decommissioned (scrapped or lost), not a retired plan."""
    return {"in_service": _l("In service"), "out_of_service": _l("Out of service"),
            "retired": _l("Decommissioned")}.get(status, status)


class UnitFilter(DepotItemFilter):
    """The units list's filters: a unit's status and serial number besides its depot and item."""

    status = SelectField(_l("Status"), choices=[ANY, *(SelectChoice(s, unit_status_word(s)) for s in UNIT_STATUSES)],
                         validate_choice=False)
    serial_no = StringField(_l("Serial number"))

    def params(self) -> dict[str, str | None]:
        return {**super().params(), "status": self.status.data or None,
                "serial_no": (self.serial_no.data or "").strip() or None}


class RegisterUnitForm(FlaskForm):
    warehouse_id = SelectField(_l("Depot"), validators=[DataRequired(REQUIRED)])
    item_id = SelectField(_l("Equipment item"), validators=[DataRequired(REQUIRED)])
    serial_no = StringField(_l("Serial number"), validators=[DataRequired(REQUIRED), Length(max=100)])
    commissioned_on = DateField(_l("Commissioned on"), validators=[Optional()])
    next_inspection_due = DateField(_l("First inspection due"), validators=[Optional()],
                                    description=_l("Leave empty: today plus the item's inspection interval."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def payload(self) -> dict:
        body = {"warehouse_id": self.warehouse_id.data, "item_id": self.item_id.data,
                "serial_no": self.serial_no.data.strip()}
        for name in ("commissioned_on", "next_inspection_due"):
            if self[name].data:
                body[name] = self[name].data.isoformat()
        if self.note.data and self.note.data.strip():
            body["note"] = self.note.data.strip()
        return body


class InspectionForm(FlaskForm):
    result = SelectField(_l("Result"), choices=[SelectChoice("pass", _l("Pass")), SelectChoice("fail", _l("Fail"))],
                         validators=[DataRequired(REQUIRED)])
    inspected_at = DateTimeLocalField(_l("Inspected at"), validators=[DataRequired(REQUIRED)],
                                      format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
    # "Inspector" alone is the supervision role's word; this is the person who did the inspection.
    inspector = StringField(_l("Inspected by"), validators=[DataRequired(REQUIRED), Length(max=200)])
    note = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=2000)],
                         description=_l("A failed inspection takes the unit out of service; say what was wrong."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.inspected_at.data is None and not self.inspected_at.raw_data:  # a fresh form: now
            self.inspected_at.data = dt.datetime.now(local_time.zone()).replace(second=0, microsecond=0, tzinfo=None)

    def payload(self) -> dict:
        # The browser's clock time is the bureau's (ERDM_TIMEZONE): the API takes it with its offset.
        moment = self.inspected_at.data.replace(tzinfo=local_time.zone())
        body = {"result": self.result.data, "inspected_at": moment.isoformat(),
                "inspector": self.inspector.data.strip()}
        if self.note.data and self.note.data.strip():
            body["note"] = self.note.data.strip()
        return body


class RetireUnitForm(FlaskForm):
    reason = StringField(_l("Why it is decommissioned"), validators=[DataRequired(REQUIRED), Length(max=500)],
                         description=_l("Scrapped, lost, beyond repair…"))

    def payload(self) -> dict:
        return {"reason": self.reason.data.strip()}
