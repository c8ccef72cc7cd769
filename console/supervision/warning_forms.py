"""The warning pages' forms (预警): the list's filters, issuing a warning to the enterprises of some districts and
industries, each enterprise's answers on its own target — acknowledge (叫应), report (停产撤人: stopped at, people
evacuated, rainfall), resume (复工) — and the bureau closing it with its summary (预警解除)."""
from __future__ import annotations

import re

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DecimalField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import DateTimeLocalInput, NumberInput

from console.supervision import local_time
from console.supervision.forms import REQUIRED, CheckboxesField, ListFilter, SentForm, StepForm, known, text_field
from console.supervision.vocabulary import (DEFAULT_ACK_MINUTES, DIRECTIVES, INDUSTRIES, WARNING_KINDS,
                                            WARNING_LEVELS, WARNING_STATUSES, warning_status_choices, worded)

# Districts are typed as a list: any of these separates two (Chinese and Latin punctuation, or a new line).
DISTRICT_SEPARATORS = re.compile(r"[,，、;；\n]+")
MAX_ACK_MINUTES = 24 * 60  # the service's limit: a warning that may wait a day for its answer is no warning


def district_list(text: str | None) -> list[str]:
    """`浦东新区、闵行区` → ["浦东新区", "闵行区"]: stripped, blanks and repeats dropped, order kept."""
    return list(dict.fromkeys(part.strip() for part in DISTRICT_SEPARATORS.split(text or "") if part.strip()))


def moment_field(label, *, required: bool = False, **options) -> StringField:
    """A local date and time (<input type="datetime-local">), sent with the bureau's offset."""
    return StringField(label, [InputRequired(REQUIRED) if required else Optional()], widget=DateTimeLocalInput(),
                       **options)


class WarningFilter(ListFilter):
    status = SelectField(_l("Status"), choices=warning_status_choices(blank=_l("All")), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=worded(WARNING_KINDS, blank=_l("All kinds")), validate_choice=False)
    level = SelectField(_l("Level"), choices=worded(WARNING_LEVELS, blank=_l("All levels")), validate_choice=False)

    def params(self) -> dict:
        return {"status": known(self.status.data, tuple(WARNING_STATUSES)),
                "kind": known(self.kind.data, WARNING_KINDS), "level": known(self.level.data, WARNING_LEVELS)}


class IssueWarningForm(SentForm):
    """WarningRequestSchema. `districts` is given the districts the enterprises lie in; others are typed."""

    kind = SelectField(_l("Kind"), choices=worded(WARNING_KINDS), default="rainstorm")
    level = RadioField(_l("Level"), choices=worded(WARNING_LEVELS), validators=[InputRequired(REQUIRED)])
    districts = CheckboxesField(_l("Districts"), choices=[])
    other_districts = text_field(_l("Other districts"), 2000,
                                 description=_l("Separate them with 、 or commas, e.g. 浦东新区、闵行区"))
    industries = CheckboxesField(_l("Industries"), choices=worded(INDUSTRIES),
                                 description=_l("None ticked: every industry in those districts"))
    valid_from = moment_field(_l("In force from"), required=True)
    valid_to = moment_field(_l("In force until"), required=True)
    directive = SelectField(_l("Directive"), choices=worded(DIRECTIVES), default="heightened_watch")
    message = text_field(_l("Message"), 4000, required=True, area=True,
                         description=_l("What the enterprises are told, as the forecast and the order say it"))
    issued_by = text_field(_l("Issued by"), 200, required=True, description=_l("The duty officer who issues it"))
    ack_within_minutes = IntegerField(_l("Acknowledge within (minutes)"), default=DEFAULT_ACK_MINUTES,
                                      widget=NumberInput(min=1, max=MAX_ACK_MINUTES),
                                      validators=[InputRequired(REQUIRED), NumberRange(1, MAX_ACK_MINUTES)])

    def chosen_districts(self) -> list[str]:
        return list(dict.fromkeys([*(self.districts.data or []), *district_list(self.other_districts.data)]))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.chosen_districts():
            where = self.districts if self.districts.choices else self.other_districts
            where.errors = [*where.errors, _("Tick or type at least one district.")]
            valid = False
        return valid

    def payload(self) -> dict:
        # `industries` goes even when empty: an empty list is the API's word for every industry.
        return {"kind": self.kind.data, "level": self.level.data, "districts": self.chosen_districts(),
                "industries": self.industries.data or [], "valid_from": local_time.from_form(self.valid_from.data),
                "valid_to": local_time.from_form(self.valid_to.data), "issued_by": self.issued_by.data,
                "directive": self.directive.data, "message": self.message.data,
                "ack_within_minutes": self.ack_within_minutes.data}


class AcknowledgeTargetForm(StepForm):
    by = text_field(_l("Acknowledged by"), 200, required=True,
                    description=_l("Who answered for the enterprise, e.g. the person on duty"))

    def payload(self) -> dict:
        return {"by": self.by.data}


class ReportTargetForm(StepForm):
    stopped_at = moment_field(_l("Production stopped at"))
    evacuated_count = IntegerField(_l("People evacuated"), [Optional(), NumberRange(min=0)],
                                   widget=NumberInput(min=0))
    rainfall_mm = DecimalField(_l("Rainfall (mm)"), [Optional(), NumberRange(min=0)], places=None,
                               widget=NumberInput(min=0, step="any"))
    note = text_field(_l("Note"), 2000, area=True, description=_l("What else was done, e.g. the watch kept"))

    def payload(self) -> dict:
        body = {"stopped_at": local_time.from_form(self.stopped_at.data),
                "evacuated_count": self.evacuated_count.data,
                "rainfall_mm": float(self.rainfall_mm.data) if self.rainfall_mm.data is not None else None,
                "note": self.note.data}
        return {key: value for key, value in body.items() if value not in (None, "")}


class ResumeForm(StepForm):
    resumed_at = moment_field(_l("Production resumed at"), required=True)

    def payload(self) -> dict:
        return {"resumed_at": local_time.from_form(self.resumed_at.data)}


class CloseWarningForm(StepForm):
    summary = text_field(_l("Summary"), 4000, required=True, area=True,
                         description=_l("What the warning came to: who stopped, how many were evacuated, any damage"))

    def payload(self) -> dict:
        return {"summary": self.summary.data}
