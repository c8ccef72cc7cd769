"""The drills API's request and response bodies."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from servicekit import clock
from servicekit.references import ActorReference, Reference, id_or_code
from servicekit.schemas import Day, Instant, PageArgs, Quantity, Schema, Text, Whole, page_schema
from services.drills.use_cases.catalog import item_id_for_code, item_reference, plan_id_for_code, plan_reference
from services.drills.use_cases.directory import org_reference
from services.drills.domain.evaluation import RATINGS, SEVERITIES, average_score
from services.drills.domain.lifecycle import ACTION_STATUSES, DRILL_STATUSES

FORMS = ("tabletop", "live")
SCOPES = ("single", "comprehensive")


def ItemRef():  # noqa: N802 - it stands where a field class would
    """`{id, code, name, unit}` of the item beside its id, from the catalog copy (null names while unknown)."""
    return Reference("item_id", item_reference, item=True)


def PlanRef():  # noqa: N802
    """`{id, code, name}` of the plan beside its id (its name is its title), from the plan projection."""
    return Reference("plan_id", plan_reference)


def plan_or_code(**kwargs):
    return id_or_code("plan", plan_id_for_code, **kwargs)


class LineSchema(Schema):
    # A code is resolved through the catalog copy: an item it has not heard of yet is 422 naming item_code.
    item_id, item_code = id_or_code("item", item_id_for_code)
    item = ItemRef()
    quantity = Quantity(required=True)


class ShortfallLineSchema(Schema):
    """What the resources service could not hold for the drill (or, with `error`, why it could not try)."""

    item_id = fields.UUID()
    item = ItemRef()
    warehouse_id = fields.UUID()
    requested = Quantity()
    available = Quantity(allow_zero=True)
    error = fields.String()


class UniqueLines(fields.List):
    """A list of lines naming each item once (the same item twice is almost always a typing slip)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(Whole(LineSchema), validate=validate.Length(max=200), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        lines = super()._deserialize(value, attr, data, **kwargs)
        ids = [line["item_id"] for line in lines]
        if len(ids) != len(set(ids)):
            raise ma.ValidationError("Each item may appear only once.")
        return lines


class DrillSchema(Schema):
    id = fields.UUID(dump_only=True)
    plan_id, plan_code = plan_or_code()
    plan = PlanRef()
    title = Text(300, required=True)
    form = fields.String(required=True, validate=validate.OneOf(FORMS))
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    scheduled_start = Instant(required=True)
    scheduled_end = Instant(required=True)
    location = fields.String(validate=validate.Length(max=500), allow_none=True)
    organizer = fields.String(validate=validate.Length(max=200), allow_none=True)
    participants = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                               validate=validate.Length(max=500))
    scenario = fields.String(validate=validate.Length(max=20000), allow_none=True)
    resources = UniqueLines()
    status = fields.String(dump_only=True)
    reservation_id = fields.UUID(dump_only=True, allow_none=True)
    org_id = fields.UUID(dump_only=True, allow_none=True, metadata={"description": "its plan's organisation"})
    org = fields.Function(org_reference, dump_only=True, metadata={
        "description": "{id, code, name} of the organisation; name null while the directory copy does not know it"})
    reservation_status = fields.String(dump_only=True, allow_none=True)
    shortfall = fields.List(fields.Nested(ShortfallLineSchema), dump_only=True, allow_none=True)
    started_at = fields.DateTime(dump_only=True, allow_none=True)
    actual_start = fields.DateTime(dump_only=True, allow_none=True)
    actual_end = fields.DateTime(dump_only=True, allow_none=True)
    completed_at = fields.DateTime(dump_only=True, allow_none=True)
    consumed = fields.List(fields.Nested(LineSchema), dump_only=True, allow_none=True)
    participants_count = fields.Integer(dump_only=True, allow_none=True)
    summary = fields.String(dump_only=True, allow_none=True)
    cancelled_at = fields.DateTime(dump_only=True, allow_none=True)
    cancel_reason = fields.String(dump_only=True, allow_none=True)
    evaluated = fields.Function(lambda drill: drill.evaluation is not None, dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    created_by = ActorReference("created_by", "created_by_name")
    updated_at = fields.DateTime(dump_only=True)


DrillPage = page_schema(DrillSchema, "DrillPage")


class DrillQuery(PageArgs):
    plan_id, plan_code = plan_or_code(required=False)
    status = fields.String(validate=validate.OneOf(DRILL_STATUSES))
    from_ = Instant(data_key="from", metadata={"description": "drills still running at or after this"})
    to = Instant(end_of_day=True, metadata={"description": "drills starting at or before this"})
    upcoming = fields.Boolean(metadata={"description": "true: drills still ahead (in progress, or not started "
                                                       "and their window not over); false: the others"})


class StartSchema(Schema):
    actual_start = Instant()


class CompleteSchema(Schema):
    consumed = UniqueLines(required=True)
    participants_count = fields.Integer(required=True, validate=validate.Range(min=0, max=1_000_000))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    actual_start = Instant()
    actual_end = Instant()


class CancelSchema(Schema):
    reason = fields.String(validate=validate.Length(max=500), allow_none=True)


def Score() -> fields.Integer:  # capitalised: it stands where a field class would
    """One AQ/T 9009 criterion's score, 1 (poor) to 5 (excellent)."""
    return fields.Integer(required=True, validate=validate.Range(min=1, max=5))


class ScoresSchema(Schema):
    """The five AQ/T 9009 criteria (domain.evaluation.CRITERIA), each scored 1 (poor) to 5 (excellent)."""

    plan_suitability = Score()
    preparation = Score()
    command_coordination = Score()
    response_actions = Score()
    equipment_materials = Score()


def average_of(evaluation) -> float:
    """The mean of the five criteria, shown beside the evaluator's own overall rating."""
    return float(average_score(evaluation.scores))


class EvaluationVersionSchema(Schema):
    """An earlier version of an evaluation, as it stood until a correction replaced it."""

    version = fields.Integer(dump_only=True)
    scores = fields.Nested(ScoresSchema, dump_only=True)
    rating = fields.String(dump_only=True)
    evaluator = fields.String(dump_only=True)
    comments = fields.String(dump_only=True, allow_none=True)
    evaluated_at = fields.DateTime(dump_only=True)
    average_score = fields.Function(average_of, dump_only=True)
    recorded_by = ActorReference("recorded_by", "recorded_by_name",
                                 metadata={"description": "who recorded this version"})
    recorded_at = fields.DateTime(dump_only=True, metadata={"description": "when this version was recorded"})


class EvaluationSchema(Schema):
    id = fields.UUID(dump_only=True)
    drill_id = fields.UUID(dump_only=True)
    scores = fields.Nested(ScoresSchema, required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    evaluator = Text(200, required=True)
    comments = fields.String(validate=validate.Length(max=20000), allow_none=True)
    evaluated_at = Instant()
    average_score = fields.Function(average_of, dump_only=True)
    version = fields.Integer(dump_only=True, metadata={"description": "1, raised by each correction"})
    recorded_by = ActorReference("recorded_by", "recorded_by_name",
                                 metadata={"description": "who recorded this version"})
    recorded_at = fields.DateTime(dump_only=True, metadata={"description": "when this version was recorded"})
    earlier_versions = fields.List(fields.Nested(EvaluationVersionSchema), attribute="earlier", dump_only=True,
                                   metadata={"description": "what the evaluation said before each correction, "
                                                            "oldest first"})


class CorrectiveActionSchema(Schema):
    id = fields.UUID(dump_only=True)
    finding_id = fields.UUID(dump_only=True)
    drill_id = fields.UUID(dump_only=True)
    plan_id = fields.UUID(dump_only=True)
    plan = PlanRef()
    org = fields.Function(org_reference, dump_only=True, metadata={"description": "{id, code, name} of the "
                                                                                  "plan's organisation"})
    owner = Text(200, required=True)
    due_date = Day(required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    status = fields.String(dump_only=True)
    overdue = fields.Method("_overdue", dump_only=True)
    completed_at = fields.DateTime(dump_only=True, allow_none=True)
    completion_note = fields.String(dump_only=True, allow_none=True)
    verified_at = fields.DateTime(dump_only=True, allow_none=True)
    verifier = fields.String(dump_only=True, allow_none=True)
    verification_note = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)

    @staticmethod
    def _overdue(action) -> bool:
        return action.status == "open" and action.due_date < clock.today()


CorrectiveActionPage = page_schema(CorrectiveActionSchema, "CorrectiveActionPage")


class FindingSchema(Schema):
    id = fields.UUID(dump_only=True)
    drill_id = fields.UUID(dump_only=True)
    plan_id = fields.UUID(dump_only=True)
    plan = PlanRef()
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    requires_plan_revision = fields.Boolean(load_default=False)
    corrective_action = fields.Nested(CorrectiveActionSchema, allow_none=True)
    recorded_at = fields.DateTime(dump_only=True)
    recorded_by = ActorReference("recorded_by", "recorded_by_name")


FindingPage = page_schema(FindingSchema, "FindingPage")


class CorrectiveActionQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(ACTION_STATUSES))
    owner = fields.String(validate=validate.Length(min=1, max=200))
    plan_id, plan_code = plan_or_code(required=False)
    drill_id = fields.UUID()
    overdue = fields.Boolean(metadata={"description": "true: still open past the due date"})


class ActionCompleteSchema(Schema):
    note = fields.String(validate=validate.Length(max=20000), allow_none=True)


class ActionVerifySchema(Schema):
    verifier = Text(200, required=True)
    note = fields.String(validate=validate.Length(max=20000), allow_none=True)


class CalendarQuery(Schema):
    plan_id, plan_code = plan_or_code(required=False)
    from_ = Instant(data_key="from", metadata={
        "description": "only drills ending at or after this; by default drills that ended within the last 365 "
                       "days (give an earlier `from` to see older ones)"})
    include_cancelled = fields.Boolean(load_default=True)
