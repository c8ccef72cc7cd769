"""The forms a drill's page offers, by the drill's status: complete and cancel it, evaluate it, record a finding.

Each builds the JSON the API takes; a field left empty is left out, so the API names what is missing and the
page shows its words beside the field (the API is the one judge of what is valid)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import DateInput, NumberInput

from console.drills.lines import ConsumedLineForm, consumed_lines
from console.drills.vocabulary import CRITERIA, RATINGS, SEVERITIES, as_choices

SCORES = as_choices([("", "—")] + [(str(score), str(score)) for score in range(5, 0, -1)])


def _text(field) -> str:
    return (field.data or "").strip()


def _whole_number(text: str):
    """A count as the API takes it; text that is none goes as it is, for the API to refuse in its words."""
    return int(text) if text.isdigit() else text


def _present(payload: dict) -> dict:
    return {key: value for key, value in payload.items() if value not in (None, "")}


class CompleteForm(FlaskForm):
    consumed = FieldList(FormField(ConsumedLineForm))
    participants_count = StringField(_l("Participants"), widget=NumberInput(min=0), validators=[InputRequired()])
    summary = TextAreaField(_l("Summary of the drill"), validators=[InputRequired()])

    @classmethod
    def for_drill(cls, drill: dict) -> "CompleteForm":
        """Blank, with one row per reserved item: what was used of it."""
        rows = [{"item_id": line["item_id"], "quantity": ""} for line in drill.get("resources") or []]
        return cls(formdata=None, consumed=rows)

    def payload(self) -> tuple[dict, list[int]]:
        lines, sent = consumed_lines(self.consumed)
        return _present({"consumed": lines, "participants_count": _whole_number(_text(self.participants_count)),
                         "summary": _text(self.summary)}) | {"consumed": lines}, sent


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason for cancelling"))

    def payload(self) -> dict:
        return _present({"reason": _text(self.reason)})


class EvaluationForm(FlaskForm):
    plan_suitability = SelectField(CRITERIA[0][1], choices=SCORES, validators=[InputRequired()])
    preparation = SelectField(CRITERIA[1][1], choices=SCORES, validators=[InputRequired()])
    command_coordination = SelectField(CRITERIA[2][1], choices=SCORES, validators=[InputRequired()])
    response_actions = SelectField(CRITERIA[3][1], choices=SCORES, validators=[InputRequired()])
    equipment_materials = SelectField(CRITERIA[4][1], choices=SCORES, validators=[InputRequired()])
    rating = SelectField(_l("Overall rating"), choices=as_choices([("", "—"), *RATINGS]),
                         validators=[InputRequired()])
    evaluator = StringField(_l("Evaluator"), validators=[InputRequired()])
    comments = TextAreaField(_l("Comments"))

    # Where the API's messages about a score go: `scores.plan_suitability` → the plan_suitability field.
    FIELDS = {f"scores.{name}": name for name, _label in CRITERIA}

    def payload(self) -> dict:
        scores = {name: int(self[name].data) for name, _label in CRITERIA if (self[name].data or "").isdigit()}
        return _present({"scores": scores, "rating": self.rating.data, "evaluator": _text(self.evaluator),
                         "comments": _text(self.comments)}) | {"scores": scores}


class FindingForm(FlaskForm):
    description = TextAreaField(_l("What was found"), validators=[InputRequired()])
    severity = SelectField(_l("Severity"), choices=as_choices(SEVERITIES))
    requires_plan_revision = BooleanField(_l("The plan must be revised"))
    action_owner = StringField(_l("Corrective action: who"))
    action_due_date = StringField(_l("Corrective action: due by"), widget=DateInput())
    action_description = TextAreaField(_l("Corrective action: what is to be done"))

    FIELDS = {"corrective_action.owner": "action_owner", "corrective_action.due_date": "action_due_date",
              "corrective_action.description": "action_description"}

    def payload(self) -> dict:
        action = _present({"owner": _text(self.action_owner), "due_date": _text(self.action_due_date),
                           "description": _text(self.action_description)})
        finding = _present({"description": _text(self.description), "severity": self.severity.data})
        finding["requires_plan_revision"] = bool(self.requires_plan_revision.data)
        if action:  # a finding may call for no action; one begun must be whole, and the API says what is missing
            finding["corrective_action"] = action
        return finding
