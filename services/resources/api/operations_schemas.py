"""Bodies of the stock operations beyond receipts and issues: transfers, stocktakes, write-offs, quotas, spreadsheets."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from servicekit.schemas import Quantity, Schema, Text
from services.resources.api.schemas import ItemRef, MovementSchema, WarehouseRef, item_or_code, warehouse_or_code
from services.resources.use_cases.disposals import REASONS as DISPOSAL_REASONS


class TransferSchema(Schema):
    from_warehouse_id, from_warehouse_code = warehouse_or_code("from_warehouse")
    to_warehouse_id, to_warehouse_code = warehouse_or_code("to_warehouse")
    item_id, item_code = item_or_code()
    quantity = Quantity(required=True)
    reason = fields.String(validate=validate.Length(max=500), allow_none=True)


class TransferLineSchema(Schema):
    from_lot_id = fields.UUID()
    to_lot_id = fields.UUID()
    quantity = Quantity()
    batch_no = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)


class TransferResultSchema(Schema):
    batch_id = fields.UUID(metadata={"description": "find both sides in GET /movements?batch_id="})
    from_warehouse_id = fields.UUID()
    from_warehouse = WarehouseRef("from_warehouse_id")
    to_warehouse_id = fields.UUID()
    to_warehouse = WarehouseRef("to_warehouse_id")
    item_id = fields.UUID()
    item = ItemRef()
    quantity = Quantity()
    lines = fields.List(fields.Nested(TransferLineSchema))


class AdjustmentSchema(Schema):
    warehouse_id, warehouse_code = warehouse_or_code()
    item_id, item_code = item_or_code()
    lot_id = fields.UUID(allow_none=True, metadata={"description": "count one lot; omit to count the depot's item"})
    counted_quantity = Quantity(required=True, allow_zero=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AdjustmentResultSchema(Schema):
    batch_id = fields.UUID()
    warehouse_id = fields.UUID()
    warehouse = WarehouseRef()
    item_id = fields.UUID()
    item = ItemRef()
    lot_id = fields.UUID(allow_none=True)
    counted_quantity = Quantity(allow_zero=True)
    expected_quantity = Quantity(allow_zero=True)
    difference = fields.Raw(metadata={"type": "number", "description": "counted - expected"})
    reason = fields.String()
    movement_ids = fields.List(fields.UUID())


class DisposalSchema(Schema):
    warehouse_id, warehouse_code = warehouse_or_code()
    lot_id = fields.UUID(required=True, metadata={"description": "the lot of that depot to write off from"})
    quantity = Quantity(required=True, metadata={"description": "at most the lot's free part (quantity - reserved)"})
    reason = fields.String(required=True, validate=validate.OneOf(DISPOSAL_REASONS))
    approved_by = Text(200, required=True, metadata={"description": "who authorised the write-off"})
    note = fields.String(validate=validate.Length(max=2000), allow_none=True)


class DisposalResultSchema(MovementSchema):
    movement_id = fields.UUID(attribute="id", dump_only=True, metadata={"description": "the ledger line: GET /movements/{id}"})


class QuotaSchema(Schema):
    warehouse_id, warehouse_code = warehouse_or_code()
    item_id, item_code = item_or_code()
    min_quantity = Quantity(required=True, allow_zero=True)


class ExportQuery(Schema):
    format = fields.String(required=True, validate=validate.OneOf(("csv", "xlsx")))
    warehouse_id, warehouse_code = warehouse_or_code(required=False)
    item_id, item_code = item_or_code(required=False)
    category_code = fields.String()


class ImportFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV with a header row, or XLSX (first sheet)"})


class ImportedReceiptSchema(Schema):
    row = fields.Integer()
    warehouse_code = fields.String()
    item_code = fields.String()
    quantity = Quantity()
    lot_id = fields.UUID()
    movement_id = fields.UUID()


class _ListAsGiven(fields.List):
    """A list the service already made of JSON's own values (an import answers up to 20,000 receipts): passed
    through as it is, since dumping each item field by field again costs ~0.3 s while the import's write lock
    is still held (the unit of work commits after the answer is made). Documented as its items' schema."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class ImportResultSchema(Schema):
    batch_id = fields.UUID(metadata={"description": "the import's ledger batch: GET /movements?batch_id="})
    imported = fields.Integer()
    skipped = fields.Integer(metadata={"description": "rows without a quantity (e.g. unfilled export lines)"})
    receipts = _ListAsGiven(fields.Nested(ImportedReceiptSchema))
