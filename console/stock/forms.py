"""The stock pages' forms: a depot, a catalog item, and receive, issue, transfer and count."""
from __future__ import annotations

import uuid
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from console import words
from console.stock import choosers
from servicekit.schemas import MAX_QUANTITY

DEPOT_LEVELS = ("national", "provincial", "municipal", "county", "enterprise")
ITEM_KINDS = ("material", "equipment")
# The types `GET /movements?type=` takes (services/resources/api/schemas.py MOVEMENT_TYPES), with a requisition's
# (requisitions-api.md: dispatch, loss, return; consumption and disposal close it too).
MOVEMENT_TYPES = ("receipt", "issue", "transfer_out", "transfer_in", "adjustment", "reservation", "release",
                  "consumption", "disposal", "dispatch", "loss", "return")
REQUIRED = _l("This field is required.")


def worded(values: tuple[str, ...], *, blank=None):
    """Choices of API codes said in the page's language, after a `blank` one when given (called when the form is
    made, in the request)."""
    return lambda: [*([SelectChoice("", blank)] if blank else []),
                    *(SelectChoice(value, words.label(value)) for value in values)]


class NumberField(DecimalField):
    """A decimal number as typed (no rounding to 2 places); "NaN" and "Infinity", which Decimal takes, are not."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, places=None, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a number.")) from None
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_("Enter a number."))

    def pre_validate(self, form):
        # Something typed that is not a number: that says it all, no range or decimals to add. (Nothing typed
        # is left to the validators: Optional or InputRequired.)
        if self.process_errors and self.raw_data and self.raw_data[0].strip():
            raise StopValidation()


def at_most_three_decimals(_form, field) -> None:
    if field.data is not None and field.data.normalize().as_tuple().exponent < -3:
        raise ValidationError(_("Give at most 3 decimal places."))


def quantity_field(label, *, zero_allowed: bool = False) -> NumberField:
    lowest = Decimal(0) if zero_allowed else Decimal("0.001")
    message = _l("Enter 0 or more.") if zero_allowed else _l("Enter a quantity above 0.")
    return NumberField(label, [InputRequired(REQUIRED), NumberRange(lowest, MAX_QUANTITY, message),
                               at_most_three_decimals])


def latitude_field(**options) -> NumberField:
    return NumberField(_l("Latitude"), [Optional(), NumberRange(-90, 90, _l("Between -90 and 90."))], **options)


def longitude_field(**options) -> NumberField:
    return NumberField(_l("Longitude"), [Optional(), NumberRange(-180, 180, _l("Between -180 and 180."))], **options)


class DepotForm(FlaskForm):
    code = StringField(_l("Depot code"), [InputRequired(REQUIRED), Length(max=64)])
    name = StringField(_l("Name"), [InputRequired(REQUIRED), Length(max=200)])
    level = SelectField(_l("Level"), choices=worded(DEPOT_LEVELS), default="municipal")
    address = StringField(_l("Address"), [Optional(), Length(max=500)])
    lat = latitude_field(description=_l("Decimal degrees, e.g. 31.2304"))
    lon = longitude_field(description=_l("Decimal degrees, e.g. 121.4737"))
    contact = StringField(_l("Contact"), [Optional(), Length(max=200)], description=_l("Keeper's name and telephone"))

    def payload(self) -> dict:
        """The depot's fields as the API takes them; an emptied optional field clears it."""
        return {"code": self.code.data.strip(), "name": self.name.data.strip(), "level": self.level.data,
                "address": self.address.data or None, "lat": json_number(self.lat.data),
                "lon": json_number(self.lon.data), "contact": self.contact.data or None}


class NewDepotForm(DepotForm):
    org_code = SelectField(_l("Owning organisation"), choices=[], validate_choice=False,
                           description=_l("Leave empty for your own organisation"))

    def payload(self) -> dict:
        body = super().payload()
        if self.org_code.data:
            body["org_code"] = self.org_code.data
        return body


class EditDepotForm(DepotForm):
    # The depot's ETag when the form was opened: a change someone made since is not overwritten unseen.
    version = HiddenField()


class ItemForm(FlaskForm):
    code = StringField(_l("Item code"), [InputRequired(REQUIRED), Length(max=64)])
    name = StringField(_l("Name"), [InputRequired(REQUIRED), Length(max=200)])
    category_code = SelectField(_l("Category"), [InputRequired(REQUIRED)], choices=[],
                                description=_l("GB/T 38565-2020 classification"))
    unit = StringField(_l("Unit of measure"), [InputRequired(REQUIRED), Length(max=32)],
                       description=_l("e.g. 顶, 箱, 件, 台"))
    kind = SelectField(_l("Material or equipment"), choices=worded(ITEM_KINDS),
                       description=_l("Equipment is kept as serial-numbered units with inspections"))
    shelf_life_days = IntegerField(_l("Shelf life (days)"), [Optional(), NumberRange(1, 36500)])
    inspection_interval_days = IntegerField(_l("Inspection interval (days)"), [Optional(), NumberRange(1, 36500)])

    def payload(self) -> dict:
        return {"code": self.code.data.strip(), "name": self.name.data.strip(),
                "category_code": self.category_code.data, "unit": self.unit.data.strip(), "kind": self.kind.data,
                "shelf_life_days": self.shelf_life_days.data,
                "inspection_interval_days": self.inspection_interval_days.data}


class OperationForm(FlaskForm):
    """A stock operation: its fields are named as the API names them, and `SENT` lists those it sends."""

    SENT: tuple[str, ...] = ()
    # One key per form shown: sending it twice (a double click, a resend) receives or issues once.
    idempotency_key = HiddenField()

    def payload(self) -> dict:
        body = {}
        for name in self.SENT:
            value = self[name].data
            if value in (None, ""):
                continue
            body[name] = json_number(value) if isinstance(value, Decimal) else (
                value.isoformat() if hasattr(value, "isoformat") else value)
        return body


class ReceiveForm(OperationForm):
    SENT = ("warehouse_id", "item_id", "quantity", "batch_no", "expiry_date", "note")
    warehouse_id = SelectField(_l("Depot"), [InputRequired(REQUIRED)], choices=[])
    item_id = SelectField(_l("Item"), [InputRequired(REQUIRED)], choices=[])
    quantity = quantity_field(_l("Quantity"))
    batch_no = StringField(_l("Batch number"), [Optional(), Length(max=100)])
    expiry_date = DateField(_l("Expiry date"), [Optional()], description=_l("Leave empty if it does not expire"))
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)], description=_l("e.g. supplier, contract number"))


class IssueForm(OperationForm):
    SENT = ("warehouse_id", "item_id", "quantity", "reason")
    warehouse_id = SelectField(_l("Depot"), [InputRequired(REQUIRED)], choices=[])
    item_id = SelectField(_l("Item"), [InputRequired(REQUIRED)], choices=[])
    quantity = quantity_field(_l("Quantity"))
    reason = StringField(_l("Reason"), [InputRequired(REQUIRED), Length(max=500)],
                         description=_l("e.g. the incident or the request it goes to"))


class TransferForm(OperationForm):
    SENT = ("from_warehouse_id", "to_warehouse_id", "item_id", "quantity", "reason")
    from_warehouse_id = SelectField(_l("From depot"), [InputRequired(REQUIRED)], choices=[])
    to_warehouse_id = SelectField(_l("To depot"), [InputRequired(REQUIRED)], choices=[])
    item_id = SelectField(_l("Item"), [InputRequired(REQUIRED)], choices=[])
    quantity = quantity_field(_l("Quantity"))
    reason = StringField(_l("Reason"), [Optional(), Length(max=500)])

    def validate_to_warehouse_id(self, field) -> None:
        if field.data and field.data == self.from_warehouse_id.data:
            raise ValidationError(_("Choose a depot other than the one it leaves."))


class CountForm(OperationForm):
    SENT = ("warehouse_id", "item_id", "lot_id", "counted_quantity", "reason")
    warehouse_id = SelectField(_l("Depot"), [InputRequired(REQUIRED)], choices=[])
    item_id = SelectField(_l("Item"), [InputRequired(REQUIRED)], choices=[])
    lot_id = SelectField(_l("Lot"), choices=[], description=_l("Count one lot, or leave empty to count all of "
                                                               "the item's lots at the depot"))
    counted_quantity = quantity_field(_l("Counted quantity"), zero_allowed=True)
    reason = StringField(_l("Reason"), [InputRequired(REQUIRED), Length(max=500)],
                         description=_l("e.g. annual stocktake, damaged in storage"))


def json_number(value: Decimal | None) -> int | float | None:
    """A quantity or a coordinate as a JSON number (whole numbers without a fraction)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def offer_choices(form: OperationForm) -> None:
    """Fill an operation form's selects: depots and material items in scope (equipment moves as units, on the
    equipment pages), and the chosen depot's lots."""
    depots = choosers.depots()
    for name in ("warehouse_id", "from_warehouse_id", "to_warehouse_id"):
        if name in form:
            form[name].choices = depots
    form.item_id.choices = choosers.items(kind="material")
    if "lot_id" in form:
        form.lot_id.choices = [SelectChoice("", _("All lots of the item")), *choosers.lots(form.warehouse_id.data)]
    if not form.idempotency_key.data:
        form.idempotency_key.data = str(uuid.uuid4())
