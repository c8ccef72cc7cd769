"""Bodies of equipment units, inspections, alerts and the nearest-depot search."""
from __future__ import annotations

from marshmallow import fields, validate

from servicekit.references import ActorReference
from servicekit.schemas import Instant, PageArgs, Quantity, Schema, page_schema, sometimes
from services.resources.api.schemas import ItemRef, WarehouseRef, item_or_code, warehouse_or_code

UNIT_STATUSES = ("in_service", "out_of_service", "retired")
ALERT_KINDS = ("low_stock", "expiring", "expired", "inspection_due", "out_of_service")


class InspectionSchema(Schema):
    id = fields.UUID(dump_only=True)
    result = fields.String(required=True, validate=validate.OneOf(("pass", "fail")))
    inspected_at = Instant(required=True)
    inspector = fields.String(required=True, validate=validate.Length(min=1, max=200))
    note = fields.String(validate=validate.Length(max=2000), allow_none=True)
    next_inspection_due = fields.Date(dump_only=True, allow_none=True)
    recorded_by = ActorReference("actor_id", "actor_name", metadata={"description": "who entered it"})
    created_at = fields.DateTime(dump_only=True)


class EquipmentSchema(Schema):
    id = fields.UUID(dump_only=True)
    item_id, item_code = item_or_code()
    item = ItemRef()
    warehouse_id, warehouse_code = warehouse_or_code()
    warehouse = WarehouseRef()
    serial_no = fields.String(required=True, validate=validate.Length(min=1, max=100))
    commissioned_on = fields.Date(allow_none=True)
    next_inspection_due = fields.Date(allow_none=True, metadata={
        "description": "defaults to today + the item's inspection_interval_days"})
    note = fields.String(validate=validate.Length(max=2000), allow_none=True)
    status = fields.String(dump_only=True, metadata={"description": "in_service, out_of_service or retired"})
    status_reason = fields.String(dump_only=True, allow_none=True)
    lot_id = fields.UUID(dump_only=True)
    in_stock = fields.Boolean(dump_only=True, metadata={"description": "false once issued or consumed"})
    last_inspected_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    inspections = fields.List(fields.Nested(InspectionSchema), dump_only=True)


class EquipmentQuery(PageArgs):
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    item_id, item_code = item_or_code(required=False)
    status = fields.String(validate=validate.OneOf(UNIT_STATUSES))
    serial_no = fields.String()
    due_before = fields.Date(metadata={"description": "next inspection due on or before this date"})


class RetireSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AlertQuery(PageArgs):
    within_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=3650))
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    item_id, item_code = item_or_code(required=False)
    kind = fields.String(validate=validate.OneOf(ALERT_KINDS))


class AlertSchema(Schema):
    kind = fields.String(metadata={"description": "expired, out_of_service, inspection_due, low_stock or expiring "
                                                  "(most urgent first); the fields beside it depend on the kind",
                                   "enum": list(ALERT_KINDS)})
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    lot_id = fields.UUID(metadata=sometimes("expired, expiring"))
    batch_no = fields.String(allow_none=True, metadata=sometimes("expired, expiring"))
    expiry_date = fields.Date(metadata=sometimes("expired, expiring"))
    quantity = Quantity(allow_zero=True, metadata=sometimes("expired, expiring"))
    reserved = Quantity(allow_zero=True, metadata=sometimes("expired, expiring"))
    days_left = fields.Integer(metadata=sometimes("expired, expiring, inspection_due: negative once past"))
    available = Quantity(allow_zero=True, metadata=sometimes("low_stock"))
    min_quantity = Quantity(allow_zero=True, metadata=sometimes("low_stock"))
    shortfall = Quantity(allow_zero=True, metadata=sometimes("low_stock"))
    equipment_id = fields.UUID(metadata=sometimes("out_of_service, inspection_due"))
    serial_no = fields.String(metadata=sometimes("out_of_service, inspection_due"))
    status = fields.String(metadata=sometimes("out_of_service, inspection_due: the unit's status"))
    next_inspection_due = fields.Date(allow_none=True, metadata=sometimes("inspection_due"))
    overdue = fields.Boolean(metadata=sometimes("inspection_due"))
    status_reason = fields.String(allow_none=True, metadata=sometimes("out_of_service: why the unit is out of service"))
    inspected_at = fields.DateTime(metadata=sometimes("out_of_service: when the failed inspection took place"))
    inspector = fields.String(metadata=sometimes("out_of_service: who made the failed inspection"))


class AlertListSchema(Schema):
    items = fields.List(fields.Nested(AlertSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class NearestQuery(Schema):
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))

    def load(self, data, **kwargs):
        # A query string carries text; Quantity takes JSON numbers, so turn the text into one first.
        data = dict(data)
        if isinstance(data.get("quantity"), str):
            try:
                data["quantity"] = float(data["quantity"]) if "." in data["quantity"] else int(data["quantity"])
            except ValueError:
                pass
        return super().load(data, **kwargs)


class DepotOfferSchema(Schema):
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    code = fields.String()
    name = fields.String()
    level = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    contact = fields.String(allow_none=True)
    distance_km = fields.Float()
    available = Quantity(allow_zero=True)
    sufficient = fields.Boolean(metadata={"description": "holds the whole quantity; false = a partial holder"})


class NearestSchema(Schema):
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    lat = fields.Float()
    lon = fields.Float()
    total_available = Quantity(allow_zero=True)
    coverable = fields.Boolean(metadata={"description": "the depots together hold enough"})
    items = fields.List(fields.Nested(DepotOfferSchema))


EquipmentPage = page_schema(EquipmentSchema, "EquipmentPage")
