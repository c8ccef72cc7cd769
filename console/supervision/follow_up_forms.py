"""The look-back pages' forms (回头看): the list's filter, scheduling a re-check of closed orders, and its result —
held, or relapsed (which opens a new order for each, for the same hazards)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from console.supervision.forms import (REQUIRED, CheckboxesField, ListFilter, SentForm, StepForm,
                                       TickedAtLeastOne, known, present, text_field)
from console.supervision.vocabulary import FOLLOW_UP_RESULTS, FOLLOW_UP_STATUSES, worded


def _day(value) -> str | None:
    return value.isoformat() if value else None


class FollowUpFilter(ListFilter):
    status = SelectField(_l("Status"), choices=worded(FOLLOW_UP_STATUSES, blank=_l("All statuses")),
                         validate_choice=False)

    def params(self) -> dict:
        return {"status": known(self.status.data, FOLLOW_UP_STATUSES)}


class ScheduleForm(SentForm):
    """FollowUpRequestSchema: `order_ids` is given the closed orders (choosers.closed_orders)."""

    order_ids = CheckboxesField(_l("Closed orders to look back at"), choices=[],
                                validators=[TickedAtLeastOne(_l("Tick at least one order."))])
    due_date = DateField(_l("Look back by"), [InputRequired(REQUIRED)])
    note = text_field(_l("Note"), 2000, area=True, description=_l("e.g. what to look at on site"))

    def payload(self) -> dict:
        return present({"order_ids": self.order_ids.data, "due_date": _day(self.due_date.data),
                        "note": self.note.data})


class ResultForm(StepForm):
    """FollowUpResultSchema; one per scheduled look-back on the list, each with its own prefix."""

    result = RadioField(_l("Result"), choices=worded(FOLLOW_UP_RESULTS), validators=[InputRequired(REQUIRED)])
    checker = text_field(_l("Checked by"), 200, required=True,
                         description=_l("A relapse's new orders are issued in this name"))
    note = text_field(_l("Note"), 2000, area=True)
    new_due_date = DateField(_l("New orders due by"), [Optional()],
                             description=_l("Relapsed only; leave empty for 30 days from today"))

    def payload(self) -> dict:
        relapsed = self.result.data == "relapsed"
        return present({"result": self.result.data, "checker": self.checker.data, "note": self.note.data,
                        "new_due_date": _day(self.new_due_date.data) if relapsed else None})
