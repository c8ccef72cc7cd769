"""The plan pages' forms: a plan's text, and one form for each step of its life (submit, approve, retire, file,
revise). Each field carries the API's limits, so most mistakes are said before anything is sent."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from console import words

PLAN_TYPES = ("comprehensive", "special", "onsite")
# Art. 36 of the measures: the six triggers of a revision, in the law's order.
REVISION_REASONS = ("law_changed", "command_changed", "risk_changed", "resources_changed", "drill_finding", "other")
# Hazard types are typed as a list: any of these separates two (Chinese and Latin punctuation, or a new line).
HAZARD_SEPARATORS = re.compile(r"[,，、;；\n]+")
MAX_HAZARD_TYPES, MAX_HAZARD_LENGTH = 50, 100


def hazard_list(text: str | None) -> list[str]:
    """`自然灾害、事故灾难` → ["自然灾害", "事故灾难"]: stripped, blanks and repeats dropped, order kept."""
    return list(dict.fromkeys(part.strip() for part in HAZARD_SEPARATORS.split(text or "") if part.strip()))


def _choices(codes) -> list[SelectChoice]:
    return [SelectChoice(code, words.LABELS[code]) for code in codes]


def _valid_hazards(_form, field) -> None:
    hazards = hazard_list(field.data)
    if len(hazards) > MAX_HAZARD_TYPES:
        raise ValidationError(_l("Name at most %(count)s hazard types.", count=MAX_HAZARD_TYPES))
    if any(len(hazard) > MAX_HAZARD_LENGTH for hazard in hazards):
        raise ValidationError(_l("Each hazard type is at most %(count)s characters.", count=MAX_HAZARD_LENGTH))


class PlanForm(FlaskForm):
    """What a version of a plan says (services/plans/api/schemas.py, ContentSchema) and the plan's code."""

    code = StringField(_l("Plan code"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    type = SelectField(_l("Plan type"), choices=_choices(PLAN_TYPES), validators=[DataRequired()])
    hazard_types = StringField(_l("Hazard types"), validators=[Optional(), _valid_hazards],
                               description=_l("Separate them with 、 or commas, e.g. 危险化学品泄漏、火灾"))
    owner_org = StringField(_l("Drawn up by (organisation)"), validators=[DataRequired(), Length(max=200)])
    owner = StringField(_l("Person responsible"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])

    CONTENT = ("title", "type", "owner_org", "owner", "summary")

    def content(self) -> dict:
        """The fields as the API takes them."""
        body = {name: self[name].data.strip() if isinstance(self[name].data, str) else self[name].data
                for name in ("code", *self.CONTENT)}
        body["summary"] = body["summary"] or None
        body["hazard_types"] = hazard_list(self.hazard_types.data)
        return body


class NewPlanForm(PlanForm):
    org_id = SelectField(_l("Owning organisation"), choices=[], validate_choice=False,
                         description=_l("Its drills draw on the depots of this organisation and those below it"))


class EditPlanForm(PlanForm):
    # The plan's ETag as read when the form was filled: the change is refused if someone saved in between.
    etag = HiddenField()


class SubmitForm(FlaskForm):
    """Send the draft (or the open revision) for review: nothing to fill in."""


class ApprovalForm(FlaskForm):
    approved_by = StringField(_l("Signed by (head of unit)"), validators=[DataRequired(), Length(max=200)])
    approved_at = DateField(_l("Signed on"), validators=[Optional()],
                            description=_l("Leave empty for today; a past date registers an existing plan"))


class RetirementForm(FlaskForm):
    # Not `reason`: the revision form beside it on the page has one, and ids must differ.
    retirement_reason = TextAreaField(_l("Why it is retired"), validators=[Optional(), Length(max=2000)])
    confirmed = BooleanField(_l("I understand the plan will no longer be in force"),
                             validators=[DataRequired(message=_l("Tick the box to confirm."))])


class FilingForm(FlaskForm):
    authority = StringField(_l("Filed with (authority)"), validators=[DataRequired(), Length(max=200)])
    filed_at = DateField(_l("Filed on"), validators=[DataRequired()])
    reference_no = StringField(_l("Filing reference number"), validators=[DataRequired(), Length(max=100)])


class RevisionForm(FlaskForm):
    reason = SelectField(_l("Why the plan is revised"), choices=_choices(REVISION_REASONS),
                         validators=[DataRequired()])
    note = TextAreaField(_l("What changes"), validators=[Optional(), Length(max=5000)])
