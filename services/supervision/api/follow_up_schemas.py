"""Bodies and answers of look-backs (回头看): scheduling one, its result, and the look-back as answered."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from servicekit.references import ActorReference
from servicekit.schemas import Day, Instant, PageArgs, Schema, Text, page_schema
from services.supervision.domain import orders as rules
from services.supervision.use_cases.directory import org_reference

MAX_ORDERS = 200


class FollowUpRequestSchema(Schema):
    order_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=MAX_ORDERS),
                            metadata={"description": "closed orders in your scope, none awaiting another look-back"})
    due_date = Day(required=True, metadata={"description": "look back by this day; today or later"})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class FollowUpResultSchema(Schema):
    result = fields.String(required=True, validate=validate.OneOf(rules.FOLLOW_UP_RESULTS), metadata={
        "description": "held leaves the orders closed; relapsed opens a new order for each, for the same hazards"})
    checker = Text(200, required=True, metadata={
        "description": "who looked back; a relapse's orders are issued by them"})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    new_due_date = Day(allow_none=True, metadata={
        "description": f"relapsed only: the new orders' due date, after today; default {rules.RELAPSE_PERIOD.days} "
                       "days from today"})

    @ma.validates_schema
    def _new_due_date_with_relapse_only(self, data, **_kwargs):
        if data.get("result") == rules.HELD and data.get("new_due_date") is not None:
            raise ma.ValidationError("Only a relapse opens new orders to be due.", "new_due_date")


class FollowUpQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(rules.FOLLOW_UP_STATUSES))
    order_id = fields.UUID(metadata={"description": "look-backs at this order"})
    overdue = fields.Boolean(metadata={"description": "true: scheduled and past due, today; false: the others"})


class OrderNameSchema(Schema):
    id = fields.UUID()
    code = fields.String()
    status = fields.String(metadata={"enum": list(rules.STATUSES)})


class FollowUpLineSchema(Schema):
    order_id = fields.UUID()
    order = fields.Nested(OrderNameSchema, allow_none=True)
    new_order_id = fields.UUID(allow_none=True, metadata={"description": "the order a relapse opened"})
    new_order = fields.Nested(OrderNameSchema, allow_none=True)


class FollowUpSchema(Schema):
    id = fields.UUID()
    status = fields.String(metadata={"enum": list(rules.FOLLOW_UP_STATUSES)})
    due_date = Day()
    overdue = fields.Boolean(metadata={"description": "scheduled and past due_date, today (computed)"})
    note = fields.String(allow_none=True)
    orders = fields.List(fields.Nested(FollowUpLineSchema))
    checker = fields.String(allow_none=True)
    result_note = fields.String(allow_none=True)
    checked_at = Instant(allow_none=True)
    org_id = fields.UUID(allow_none=True)
    org = fields.Function(org_reference, dump_only=True, metadata={
        "description": "{id, code, name}: the enterprise, or the nearest organisation above all its orders'"})
    created_by = ActorReference("actor_id", "actor_name")
    created_at = Instant()


FollowUpPage = page_schema(FollowUpSchema, "FollowUpPage")
