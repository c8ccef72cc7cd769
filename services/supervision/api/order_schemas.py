"""Bodies and answers of hazards and rectification orders: the record asked for, each step's body, the answers."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from servicekit.references import ActorReference
from servicekit.schemas import Day, Instant, PageArgs, Schema, Text, page_schema
from services.supervision.domain import orders as rules
from services.supervision.use_cases.directory import org_reference

LONG_TEXT = validate.Length(min=1, max=20000)
MAX_HAZARDS = 100


def _org_fields(description: str) -> tuple[fields.Field, fields.Field]:
    return (fields.UUID(metadata={"description": description}),
            fields.String(load_only=True, validate=validate.Length(min=1, max=64),
                          metadata={"description": "the organisation's code, instead of org_id"}))


def _org_answer() -> fields.Function:
    return fields.Function(org_reference, dump_only=True, metadata={
        "description": "{id, code, name} of the enterprise; name null while the directory copy does not know it"})


class HazardRequestSchema(Schema):
    org_id, org_code = _org_fields("the enterprise where it was found; default your own (a bureau is refused)")
    title = Text(300, required=True)
    description = fields.String(required=True, validate=LONG_TEXT)
    level = fields.String(required=True, validate=validate.OneOf(rules.HAZARD_LEVELS),
                          metadata={"description": "general (一般事故隐患), major (重大事故隐患)"})
    location = Text(500, allow_none=True)
    found_at = Instant(required=True, metadata={"description": "when it was found; never in the future"})
    found_by = Text(200, required=True, metadata={"description": "the inspector who found it"})


class HazardSchema(Schema):
    id = fields.UUID()
    org_id = fields.UUID(allow_none=True)
    org = _org_answer()
    title = fields.String()
    description = fields.String()
    level = fields.String(metadata={"enum": list(rules.HAZARD_LEVELS)})
    location = fields.String(allow_none=True)
    found_at = Instant()
    found_by = fields.String()
    recorded_by = ActorReference("actor_id", "actor_name")
    created_at = Instant()


HazardPage = page_schema(HazardSchema, "HazardPage")


class HazardQuery(PageArgs):
    org_id = fields.UUID()
    level = fields.String(validate=validate.OneOf(rules.HAZARD_LEVELS))


class RectificationOrderRequestSchema(Schema):
    org_id, org_code = _org_fields("the enterprise ordered; default the hazards' own")
    hazard_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=MAX_HAZARDS),
                             metadata={"description": "hazards of that enterprise, none under another open order"})
    requirements = fields.String(required=True, validate=LONG_TEXT, metadata={"description": "what must be done"})
    due_date = Day(required=True, metadata={"description": "rectify by this day; today or later"})
    issued_by = Text(200, required=True, metadata={"description": "the inspector who signs the order"})
    suspend_production = fields.Boolean(load_default=False, metadata={
        "description": "the order to stop and rectify (停产整顿)"})


class OrderAcknowledgementSchema(Schema):
    signed_by = Text(200, required=True, metadata={
        "description": "the name registered for that position on the organisation"})
    position = fields.String(required=True, validate=validate.OneOf(rules.POSITIONS), metadata={
        "description": "principal (the head, 一把手) or deputy (a deputy in charge, 分管领导)"})


class OrderReportSchema(Schema):
    measures = fields.String(required=True, validate=LONG_TEXT, metadata={"description": "what was done"})
    completed_at = Instant(required=True, metadata={
        "description": "when the work was finished; not before the order's day, never in the future"})


class OrderReviewRequestSchema(Schema):
    reviewer = Text(200, required=True)
    result = fields.String(required=True, validate=validate.OneOf(rules.REVIEW_RESULTS),
                           metadata={"description": "passed closes the order (销号); failed sends it back"})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    new_due_date = Day(allow_none=True, metadata={"description": "required when failed: after today"})

    @ma.validates_schema
    def _new_due_date_with_failure_only(self, data, **_kwargs):
        failed = data.get("result") == rules.FAILED
        if failed and data.get("new_due_date") is None:
            raise ma.ValidationError("Required when the review fails: the day the order must be rectified by.",
                                     "new_due_date")
        if data.get("result") == rules.PASSED and data.get("new_due_date") is not None:
            raise ma.ValidationError("Only a failed review sets a new due date.", "new_due_date")


class OrderQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(rules.STATUSES))
    org_id = fields.UUID()
    overdue = fields.Boolean(metadata={"description": "true: past due and not closed, today; false: the others"})
    hazard_id = fields.UUID(metadata={"description": "orders for this hazard"})


class OrderHazardSchema(Schema):
    id = fields.UUID()
    title = fields.String()
    level = fields.String()


class OrderReviewSchema(Schema):
    id = fields.UUID()
    reviewer = fields.String()
    result = fields.String(metadata={"enum": list(rules.REVIEW_RESULTS)})
    note = fields.String(allow_none=True)
    previous_due_date = Day()
    new_due_date = Day(allow_none=True)
    reviewed_at = Instant()
    recorded_by = ActorReference("actor_id", "actor_name")


class RectificationOrderSchema(Schema):
    id = fields.UUID()
    code = fields.String(metadata={"description": "what people read and say: ZG-<day issued>-<6 characters>"})
    status = fields.String(metadata={"enum": list(rules.STATUSES)})
    org_id = fields.UUID(allow_none=True)
    org = _org_answer()
    hazard_ids = fields.Function(lambda order: [str(hazard.id) for hazard in order.hazards], metadata={
        "type": "array", "items": {"type": "string", "format": "uuid"}, "description": "the hazards' ids"})
    hazards = fields.List(fields.Nested(OrderHazardSchema))
    requirements = fields.String()
    due_date = Day(metadata={"description": "the current one: a failed review sets a new one"})
    overdue = fields.Boolean(metadata={"description": "past due_date and not closed, today (computed)"})
    days_overdue = fields.Integer(metadata={"description": "days past due_date while overdue, else 0"})
    issued_by = fields.String()
    issued_at = Instant()
    suspend_production = fields.Boolean()
    signed_by = fields.String(allow_none=True)
    signed_position = fields.String(allow_none=True, metadata={"enum": list(rules.POSITIONS)})
    acknowledged_at = Instant(allow_none=True)
    measures = fields.String(allow_none=True, metadata={"description": "of the latest report"})
    completed_at = Instant(allow_none=True)
    reported_at = Instant(allow_none=True)
    closed_at = Instant(allow_none=True)
    closed_by = fields.String(allow_none=True)
    reviews = fields.List(fields.Nested(OrderReviewSchema))
    relapse_of_id = fields.UUID(allow_none=True, metadata={
        "description": "the closed order whose look-back found the hazards back"})
    created_by = ActorReference("actor_id", "actor_name")
    created_at = Instant()
    updated_at = Instant()


RectificationOrderPage = page_schema(RectificationOrderSchema, "RectificationOrderPage")
