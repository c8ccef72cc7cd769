"""The resources API's request and response bodies."""
from __future__ import annotations

from marshmallow import fields, validate

from servicekit.references import ActorReference, Reference, id_or_code
from servicekit.schemas import Day, Instant, PageArgs, Quantity, Schema, Text, page_schema
from services.resources.domain.reservations import CONSUMED, HELD, RELEASED, RELEASED_ON_REQUEST
from services.resources.use_cases.catalog import (item_id_for_code, item_reference, warehouse_id_for_code,
                                                warehouse_reference)
from services.resources.use_cases.owners import org_reference

WAREHOUSE_LEVELS = ("national", "provincial", "municipal", "county", "enterprise")
ITEM_KINDS = ("material", "equipment")
MOVEMENT_TYPES = ("receipt", "issue", "transfer_out", "transfer_in", "adjustment", "reservation", "release",
                  "consumption", "disposal", "dispatch", "return", "loss")

def warehouse_or_code(name: str = "warehouse", **kwargs):
    """`<name>_id` and `<name>_code` of a depot (exactly one of them)."""
    return id_or_code(name, warehouse_id_for_code, what="depot", **kwargs)


def item_or_code(**kwargs):
    return id_or_code("item", item_id_for_code, **kwargs)


def WarehouseRef(id_attribute: str = "warehouse_id"):  # noqa: N802 - it stands where a field class would
    """`{id, code, name}` of the depot beside its id."""
    return Reference(id_attribute, warehouse_reference)


def ItemRef(id_attribute: str = "item_id"):  # noqa: N802
    """`{id, code, name, unit}` of the item beside its id."""
    return Reference(id_attribute, item_reference, item=True)


class ShortfallLineSchema(Schema):
    """One line of a 409's `shortfall`: what was asked, what there is."""

    item_id = fields.UUID()
    item = ItemRef()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    requested = Quantity()
    available = Quantity(allow_zero=True)


class CategorySchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=7))
    name = Text(200, required=True)
    parent_code = fields.String(dump_only=True, allow_none=True)
    level = fields.Integer(dump_only=True)


class CategoryListSchema(Schema):
    items = fields.List(fields.Nested(CategorySchema))


class CategoryQuery(Schema):
    parent_code = fields.String()
    level = fields.Integer(validate=validate.Range(min=1, max=4))


class WarehouseSchema(Schema):
    id = fields.UUID(dump_only=True)
    code = Text(64, required=True)
    name = Text(200, required=True)
    level = fields.String(required=True, validate=validate.OneOf(WAREHOUSE_LEVELS))
    address = fields.String(validate=validate.Length(max=500), allow_none=True)
    lat = fields.Float(validate=validate.Range(min=-90, max=90), allow_none=True)
    lon = fields.Float(validate=validate.Range(min=-180, max=180), allow_none=True)
    contact = fields.String(validate=validate.Length(max=200), allow_none=True)
    org_id = fields.UUID(allow_none=True, metadata={"description": "the owning organisation; on create, the "
                                                                  "caller's unless given (within its scope)"})
    org_code = fields.String(load_only=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "the owning organisation by its code, instead of org_id"})
    org = fields.Function(org_reference, dump_only=True, metadata={
        "description": "{id, code, name} of the owner; name null while the directory copy does not know it"})
    active = fields.Boolean(metadata={"description": "false retires it: it keeps its history, takes no new stock "
                                                     "and lists leave it out; true brings it back"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class WarehouseQuery(PageArgs):
    level = fields.String(validate=validate.OneOf(WAREHOUSE_LEVELS))
    q = fields.String(metadata={"description": "part of the code or name"})
    include_inactive = fields.Boolean(load_default=False, metadata={"description": "true: retired ones too"})


class ItemSchema(Schema):
    id = fields.UUID(dump_only=True)
    code = Text(64, required=True)
    name = Text(200, required=True)
    category_code = fields.String(required=True, validate=validate.Length(min=1, max=7))
    unit = Text(32, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    shelf_life_days = fields.Integer(validate=validate.Range(min=1, max=36500), allow_none=True)
    inspection_interval_days = fields.Integer(validate=validate.Range(min=1, max=36500), allow_none=True)
    active = fields.Boolean(metadata={"description": "false retires it: it keeps its history, takes no new stock "
                                                     "and lists leave it out; true brings it back"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ItemQuery(PageArgs):
    category_code = fields.String(metadata={"description": "this class and every class below it"})
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    q = fields.String(metadata={"description": "part of the code or name"})
    include_inactive = fields.Boolean(load_default=False, metadata={"description": "true: retired ones too"})


class ReceiptSchema(Schema):
    warehouse_id, warehouse_code = warehouse_or_code()
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    batch_no = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    note = fields.String(validate=validate.Length(max=2000), allow_none=True)


class ReceiptResultSchema(Schema):
    lot_id = fields.UUID()
    movement_id = fields.UUID()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    batch_no = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    lot_quantity = Quantity(allow_zero=True, metadata={"description": "the lot's quantity after this receipt"})


class IssueSchema(Schema):
    warehouse_id, warehouse_code = warehouse_or_code()
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    reason = Text(500, required=True)


class DrawSchema(Schema):
    lot_id = fields.UUID()
    batch_no = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    quantity = Quantity()
    movement_id = fields.UUID()


class IssueResultSchema(Schema):
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    reason = fields.String()
    batch_id = fields.UUID()
    draws = fields.List(fields.Nested(DrawSchema))


class BalanceSchema(Schema):
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    on_hand = Quantity(allow_zero=True)
    reserved = Quantity(allow_zero=True)
    unusable = Quantity(allow_zero=True, metadata={"description": "free stock in expired lots or out-of-service units"})
    available = Quantity(allow_zero=True, metadata={"description": "on_hand - reserved - unusable, never below 0"})
    min_quantity = Quantity(allow_zero=True, metadata={"description": "the reserve quota (储备定额)"})
    updated_at = fields.DateTime()


class BalanceQuery(PageArgs):
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    item_id, item_code = item_or_code(required=False)
    category_code = fields.String()


class LotSchema(Schema):
    id = fields.UUID()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    batch_no = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    quantity = Quantity(allow_zero=True)
    reserved = Quantity(allow_zero=True)
    received_at = fields.DateTime()


class LotQuery(PageArgs):
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    item_id, item_code = item_or_code(required=False)
    include_empty = fields.Boolean(load_default=False)


class MovementSchema(Schema):
    id = fields.UUID()
    seq = fields.Integer()
    batch_id = fields.UUID()
    type = fields.String()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    lot_id = fields.UUID(allow_none=True)
    batch_no = fields.String(allow_none=True, metadata={"description": "of the movement's lot"})
    expiry_date = fields.Date(allow_none=True, metadata={"description": "of the movement's lot"})
    quantity = Quantity()
    on_hand_delta = fields.Raw(metadata={"type": "number", "description": "signed change to on hand"})
    reserved_delta = fields.Raw(metadata={"type": "number", "description": "signed change to reserved"})
    reservation_id = fields.UUID(allow_none=True)
    reference = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    approved_by = fields.String(allow_none=True, metadata={"description": "write-off: who authorised it"})
    counted_quantity = Quantity(allow_zero=True, allow_none=True, metadata={"description": "stocktake: counted"})
    expected_quantity = Quantity(allow_zero=True, allow_none=True, metadata={"description": "stocktake: on the books"})
    actor_id = fields.String()
    actor_name = fields.String()
    recorded_by = ActorReference("actor_id", "actor_name", metadata={"description": "who made the movement"})
    request_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


class MovementQuery(PageArgs):
    item_id, item_code = item_or_code(required=False)
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    type = fields.String(validate=validate.OneOf(MOVEMENT_TYPES))
    reservation_id = fields.UUID()
    batch_id = fields.UUID()
    reference = fields.String(validate=validate.Length(min=1, max=200),
                              metadata={"description": "lines made for this reference (a requisition's code)"})
    from_ = Instant(data_key="from", metadata={"description": "lines recorded at or after this (a plain date: from "
                                                              "that day's start in ERDM_TIMEZONE)"})
    to = Instant(end_of_day=True, metadata={"description": "lines recorded at or before this (a plain date: to that "
                                                          "day's end)"})


class LedgerQuery(Schema):
    """The printed stock ledger's depot and period (days in ERDM_TIMEZONE, both included)."""

    warehouse_id, warehouse_code = warehouse_or_code()
    from_ = Day(data_key="from", metadata={"description": "the period's first day; default the first of this month"})
    to = Day(metadata={"description": "the period's last day; default today"})


class ReservationLineSchema(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    warehouse_id, warehouse_code = warehouse_or_code(required=False, allow_none=True)


class ReservationRequestSchema(Schema):
    reference = Text(200, required=True)
    lines = fields.List(fields.Nested(ReservationLineSchema), required=True, validate=validate.Length(min=1, max=200))
    expires_at = Instant(allow_none=True)


class AllocationSchema(Schema):
    lot_id = fields.UUID()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    consumed = Quantity(allow_zero=True)
    expiry_date = fields.Date(allow_none=True)


class ReservationSchema(Schema):
    id = fields.UUID()
    reference = fields.String()
    status = fields.String(metadata={"description": f"{HELD}, {RELEASED} or {CONSUMED}"})
    expires_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)
    created_by = ActorReference("actor_id", "actor_name")
    allocations = fields.List(fields.Nested(AllocationSchema))


class ConsumeLineSchema(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)


class ConsumeSchema(Schema):
    lines = fields.List(fields.Nested(ConsumeLineSchema), required=True, validate=validate.Length(max=200))


class ReleaseSchema(Schema):
    reason = fields.String(validate=validate.Length(max=200), load_default=RELEASED_ON_REQUEST)


WarehousePage = page_schema(WarehouseSchema, "WarehousePage")
ItemPage = page_schema(ItemSchema, "ItemPage")
BalancePage = page_schema(BalanceSchema, "BalancePage")
LotPage = page_schema(LotSchema, "LotPage")
MovementPage = page_schema(MovementSchema, "MovementPage")
