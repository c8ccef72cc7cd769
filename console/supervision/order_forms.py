"""The rectification-order pages' forms: the list's filters, issuing an order, and the steps on it — the enterprise
signs for it (签收) and reports it done, the inspector reviews it (复查) and closes it (销号) or sends it back."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional

from console import words
from console.supervision.choosers import Signer, signer_label
from console.supervision.forms import (REQUIRED, CheckboxesField, ListFilter, SentForm, StepForm,
                                       TickedAtLeastOne, an_id, known, present, text_field)
from console.supervision.vocabulary import ORDER_STATUSES, POSITIONS, REVIEW_RESULTS, worded


def _day(value) -> str | None:
    return value.isoformat() if value else None


class OrderFilter(ListFilter):
    """`org_id` is given the enterprises (choosers.enterprise_choices)."""

    status = SelectField(_l("Status"), choices=worded(ORDER_STATUSES, blank=_l("All statuses")),
                         validate_choice=False)
    org_id = SelectField(_l("Enterprise"), validate_choice=False)
    overdue = BooleanField(_l("Overdue only"), render_kw={"value": "true"})

    def params(self) -> dict:
        return {"status": known(self.status.data, ORDER_STATUSES), "org_id": an_id(self.org_id.data),
                "overdue": "true" if self.overdue.data else None}


class IssueOrderForm(SentForm):
    """RectificationOrderRequestSchema; the enterprise is chosen before (the page's `org_id`), its hazards here."""

    hazard_ids = CheckboxesField(_l("Hazards to rectify"), choices=[],
                                 validators=[TickedAtLeastOne(_l("Tick at least one hazard."))])
    requirements = text_field(_l("Requirements"), 20000, required=True, area=True,
                              description=_l("What the enterprise must do, and how it shows it is done"))
    due_date = DateField(_l("Rectify by"), [InputRequired(REQUIRED)])
    issued_by = text_field(_l("Issued by"), 200, required=True, description=_l("The inspector who signs the order"))
    suspend_production = BooleanField(_l("Stop production and rectify (停产整顿)"),
                                      description=_l("The enterprise stops the affected production until the "
                                                     "order is closed"))

    def payload(self, org_id: str) -> dict:
        return {**present({"org_id": org_id, "hazard_ids": self.hazard_ids.data,
                           "requirements": self.requirements.data, "due_date": _day(self.due_date.data),
                           "issued_by": self.issued_by.data}),
                "suspend_production": bool(self.suspend_production.data)}


class RegisteredSignerForm(StepForm):
    """Signing for an order as one of the people registered on the enterprise (its head or a deputy in charge)."""

    signer = SelectField(_l("Signed by"), validators=[DataRequired(REQUIRED)], validate_choice=False)

    def offer(self, people: list[Signer]) -> "RegisteredSignerForm":
        self.signer.choices = [("", _("Choose who signs")),
                               *((person.value, signer_label(person, words.label(person.position)))
                                 for person in people)]
        return self

    def payload(self) -> dict:
        position, _tab, name = (self.signer.data or "").partition("\t")
        return {"signed_by": name, "position": position}


class NamedSignerForm(StepForm):
    """Signing for an order when the registered people cannot be listed: the name typed, the position chosen."""

    signed_by = text_field(_l("Signed by"), 200, required=True,
                           description=_l("As registered on the organisation"))
    position = SelectField(_l("As"), choices=worded(POSITIONS))

    def payload(self) -> dict:
        return {"signed_by": self.signed_by.data, "position": self.position.data}


class ReportForm(StepForm):
    measures = text_field(_l("Measures taken"), 20000, required=True, area=True)
    completed_at = DateField(_l("Completed on"), [InputRequired(REQUIRED)])

    def payload(self) -> dict:
        return {"measures": self.measures.data, "completed_at": _day(self.completed_at.data)}


class ReviewForm(StepForm):
    reviewer = text_field(_l("Reviewed by"), 200, required=True)
    result = RadioField(_l("Result"), choices=worded(REVIEW_RESULTS), validators=[InputRequired(REQUIRED)])
    note = text_field(_l("Note"), 2000, area=True)
    new_due_date = DateField(_l("New due date"), [Optional()],
                             description=_l("Required when the review fails: the order goes back to the enterprise"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.result.data == "failed" and not self.new_due_date.data and not self.new_due_date.errors:
            self.new_due_date.errors = [_("Give the new due date when the review fails.")]
            valid = False
        return valid

    def payload(self) -> dict:
        # A date typed and then the review passed after all: the order closes, and has no new due date.
        failed = self.result.data == "failed"
        return present({"reviewer": self.reviewer.data, "result": self.result.data, "note": self.note.data,
                        "new_due_date": _day(self.new_due_date.data) if failed else None})
