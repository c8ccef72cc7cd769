"""Bodies and answers of requisitions (动用申请): the request, each step's body, and the requisition as answered."""
from __future__ import annotations

from marshmallow import fields, validate

from servicekit.references import ActorReference, ReferenceSchema
from servicekit.schemas import Day, Instant, PageArgs, Quantity, Schema, Text, Whole, page_schema
from services.resources.api.schemas import ItemRef, WarehouseRef, item_or_code
from services.resources.domain import requisitions as rules

MAX_LINES = 200


class RequestLineSchema(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    # Plain fields, not a code lookup: the depot is the supplying organisation's, beyond a requester's scope,
    # and the service checks it against the supplier (use_cases/requisitions.py).
    warehouse_id = fields.UUID(allow_none=True, metadata={"description": "draw this line from this depot only"})
    warehouse_code = Text(64, allow_none=True, metadata={"description": "the depot's code, instead of warehouse_id"})


class RequisitionRequestSchema(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(rules.PURPOSES))
    supplying_org_id = fields.UUID(metadata={"description": "whose depots supply it; default: your parent organisation"})
    supplying_org_code = Text(64, metadata={"description": "the supplying organisation's code, instead of its id"})
    incident_ref = Text(200, allow_none=True, metadata={"description": "the incident it is for"})
    destination = Text(500, required=True)
    needed_by = Day(required=True)
    urgent = fields.Boolean(load_default=False)
    approved_by = Text(200, allow_none=True, metadata={
        "description": "with urgent: who approved it by telephone; the requisition is approved as it is made"})
    lines = fields.List(Whole(RequestLineSchema), required=True, validate=validate.Length(min=1, max=MAX_LINES))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ApproveSchema(Schema):
    approved_by = Text(200, required=True, metadata={"description": "who signed the approval"})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ReasonSchema(Schema):
    reason = Text(500, required=True)


class DispatchSchema(Schema):
    waybill_no = Text(100, required=True)
    vehicle = Text(100, allow_none=True)
    driver = Text(200, allow_none=True)
    dispatched_at = Instant(allow_none=True, metadata={"description": "default now; never in the future"})


class ReceivedLineSchema(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True, allow_zero=True)


class ReceiveSchema(Schema):
    received_by = Text(200, required=True, metadata={"description": "who signed for the goods"})
    lines = fields.List(Whole(ReceivedLineSchema), required=True, validate=validate.Length(min=1, max=MAX_LINES))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ReturnRequestLineSchema(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    warehouse_id = fields.UUID(metadata={"description": "a depot of the supplying organisation"})
    warehouse_code = Text(64, metadata={"description": "the depot's code, instead of warehouse_id"})
    condition = fields.String(required=True, validate=validate.OneOf(rules.CONDITIONS))


class ReturnRequestSchema(Schema):
    lines = fields.List(Whole(ReturnRequestLineSchema), required=True, validate=validate.Length(max=MAX_LINES))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class RequisitionQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(rules.STATUSES))
    purpose = fields.String(validate=validate.OneOf(rules.PURPOSES))
    requesting_org_id = fields.UUID()
    supplying_org_id = fields.UUID()
    side = fields.String(validate=validate.OneOf((rules.REQUESTING, rules.SUPPLYING)), metadata={
        "description": "only those where your own organisation is on this side"})


class RequisitionLineSchema(Schema):
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    warehouse_id = fields.UUID(allow_none=True)
    warehouse = WarehouseRef()
    dispatched = Quantity(allow_zero=True)
    received = Quantity(allow_zero=True)
    lost = Quantity(allow_zero=True)
    returned = Quantity(allow_zero=True)
    damaged = Quantity(allow_zero=True)
    consumed = Quantity(allow_zero=True)


class RequisitionAllocationSchema(Schema):
    lot_id = fields.UUID()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    batch_no = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)


class RequisitionReturnSchema(Schema):
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    condition = fields.String()


class RequisitionStepSchema(Schema):
    action = fields.String(metadata={"description": "submitted, approved, rejected, cancelled, dispatched, received, "
                                                    "returned"})
    by = ActorReference("actor_id", "actor_name", metadata={"description": "who took the step"})
    at = fields.DateTime()


class RequisitionSchema(Schema):
    id = fields.UUID()
    code = fields.String(metadata={"description": "what people read and say: REQ-<day>-<6 characters>"})
    purpose = fields.String()
    status = fields.String(metadata={"description": ", ".join(rules.STATUSES)})
    urgent = fields.Boolean()
    incident_ref = fields.String(allow_none=True)
    destination = fields.String()
    needed_by = fields.Date()
    note = fields.String(allow_none=True)
    requesting_org_id = fields.UUID(attribute="org_id", allow_none=True)
    requesting_org = fields.Nested(ReferenceSchema)
    supplying_org_id = fields.UUID(attribute="counterpart_org_id", allow_none=True)
    supplying_org = fields.Nested(ReferenceSchema)
    sides = fields.List(fields.String(), metadata={
        "description": "your sides: requesting (receive, return, cancel), supplying (approve, reject, dispatch, cancel)"})
    lines = fields.List(fields.Nested(RequisitionLineSchema))
    allocations = fields.List(fields.Nested(RequisitionAllocationSchema))
    returns = fields.List(fields.Nested(RequisitionReturnSchema))
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approval_note = fields.String(allow_none=True)
    approved_at_submission = fields.Boolean(metadata={"description": "urgent, approved by telephone as it was made"})
    rejected_reason = fields.String(allow_none=True)
    rejected_at = fields.DateTime(allow_none=True)
    cancelled_reason = fields.String(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    waybill_no = fields.String(allow_none=True)
    vehicle = fields.String(allow_none=True)
    driver = fields.String(allow_none=True)
    dispatched_at = fields.DateTime(allow_none=True)
    received_by = fields.String(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    receive_note = fields.String(allow_none=True)
    return_note = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    created_by = ActorReference("actor_id", "actor_name")
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    history = fields.List(fields.Nested(RequisitionStepSchema), metadata={
        "description": "each step with who took it and when, oldest first"})


RequisitionPage = page_schema(RequisitionSchema, "RequisitionPage")
