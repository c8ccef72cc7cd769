"""The requisition pages' forms (动用申请): the list's filters, a new requisition with its item lines, and the steps
the supplying side takes on it (approve, reject, dispatch) and either side (cancel). Signing for what arrived and
returning what is left have forms built from the requisition's own lines: console/stock/requisition_returns.py."""
from __future__ import annotations

import uuid
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from console.stock.forms import REQUIRED, NumberField, at_most_three_decimals, json_number, worded
from console.stock.list_filters import ListFilter, known
from servicekit.schemas import MAX_QUANTITY

# The API's words (services/resources/domain/requisitions.py).
STATUSES = ("submitted", "approved", "rejected", "in_transit", "received", "closed", "cancelled")
PURPOSES = ("emergency", "drill", "training", "other")
SIDES = (("requesting", _l("Asked for by my organisation")), ("supplying", _l("Supplied by my organisation")))
BLANK_LINES = 5  # item lines offered on a new requisition; the blank ones are left out
TRIMMED = [lambda value: value.strip() if isinstance(value, str) else value]  # spaces alone are nothing typed


def optional_quantity(label) -> NumberField:
    """A quantity that may be left empty (nothing of it) or 0."""
    return NumberField(label, [Optional(), NumberRange(Decimal(0), MAX_QUANTITY, _l("Enter 0 or more.")),
                               at_most_three_decimals])


def text_field(label, max_length: int, *, required: bool = False, area: bool = False, **options):
    """Text as typed, trimmed: spaces alone are nothing typed, so a required field refuses them."""
    kind = TextAreaField if area else StringField
    return kind(label, [DataRequired(REQUIRED) if required else Optional(), Length(max=max_length)],
                filters=TRIMMED, **options)


class RequisitionFilter(ListFilter):
    status = SelectField(_l("Status"), choices=worded(STATUSES, blank=_l("All statuses")), validate_choice=False)
    purpose = SelectField(_l("Purpose"), choices=worded(PURPOSES, blank=_l("All purposes")), validate_choice=False)
    side = SelectField(_l("My organisation's side"), validate_choice=False,
                       choices=lambda: [SelectChoice("", _("Either side")),
                                        *(SelectChoice(value, words) for value, words in SIDES)])

    def params(self) -> dict:
        return {"status": known(self.status.data, STATUSES), "purpose": known(self.purpose.data, PURPOSES),
                "side": known(self.side.data, tuple(value for value, _words in SIDES))}


class SentForm(FlaskForm):
    """A form sent to the API once per showing (a double click, a resend: the API answers the first again), whose
    `SENT` fields go as they are named, stripped, the empty ones left out. `sent_lines` says which form fields each
    sent line came from, so the API's `lines.N.<field>` refusals find their row."""

    SENT: tuple[str, ...] = ()
    # What a 409 `shortfall` means for this form, said above the short items.
    SHORTFALL = _l("Not enough stock is free in the supplying organisation's depots; nothing was held:")
    idempotency_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_lines: list[dict] = []
        if not self.idempotency_key.data:
            self.idempotency_key.data = str(uuid.uuid4())

    def renew(self) -> None:
        """A refused form corrected is a new request, not a replay of the refused one."""
        self.idempotency_key.data = str(uuid.uuid4())

    def payload(self) -> dict:
        body = {}
        for name in self.SENT:
            value = self[name].data
            if isinstance(value, str):
                value = value.strip()
            if value in (None, ""):
                continue
            body[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return body


class StepForm(SentForm):
    """One step on a requisition's page, beside the others: each carries its step's name as a prefix, so their
    fields never mix. The page's one CSRF token is checked for every POST by the app (CSRFProtect)."""

    class Meta:
        csrf = False


class ApproveForm(StepForm):
    SENT = ("approved_by", "note")
    approved_by = text_field(_l("Approved by"), 200, required=True,
                             description=_l("Who approved it, e.g. the head of logistics"))
    note = text_field(_l("Note"), 2000, area=True, description=_l("e.g. the approval document's number"))


class RejectForm(StepForm):
    SENT = ("reason",)
    reason = text_field(_l("Reason for rejecting"), 2000, required=True, area=True)


class CancelForm(StepForm):
    SENT = ("reason",)
    reason = text_field(_l("Reason for cancelling"), 2000, required=True, area=True,
                        description=_l("Any stock held for it is released."))


class DispatchForm(StepForm):
    SENT = ("waybill_no", "vehicle", "driver", "dispatched_at")
    waybill_no = text_field(_l("Waybill number"), 100, required=True)
    vehicle = text_field(_l("Vehicle"), 100, description=_l("e.g. the plate number"))
    driver = text_field(_l("Driver"), 100, description=_l("Name and telephone"))
    dispatched_at = DateField(_l("Dispatched on"), [Optional()], description=_l("Leave empty if it leaves today"))


class ItemLine(Form):
    """One line of a new requisition: an item and how much of it; a line left blank is not sent."""

    item_id = SelectField(_l("Item"), choices=[])
    quantity = NumberField(_l("Quantity"), [Optional(), NumberRange(Decimal("0.001"), MAX_QUANTITY,
                                                                    _l("Enter a quantity above 0.")),
                                            at_most_three_decimals])

    def is_blank(self) -> bool:
        return not self.item_id.data and self.quantity.data is None and not (self.quantity.raw_data or [""])[0]


class NewRequisitionForm(SentForm):
    SENT = ("purpose", "supplying_org_id", "incident_ref", "destination", "needed_by", "note")
    SHORTFALL = _l("Not enough stock is free in the supplying organisation's depots to approve it at once; the "
                   "requisition was not submitted:")
    purpose = SelectField(_l("Purpose"), choices=worded(PURPOSES), default="emergency")
    supplying_org_id = SelectField(_l("Supplying organisation"), choices=[], validate_choice=False,
                                   description=_l("Whose depots supply it. Leave empty for the organisation above "
                                                  "yours."))
    incident_ref = text_field(_l("Incident reference"), 200,
                              description=_l("e.g. the incident's number or name, for an emergency response"))
    destination = text_field(_l("Destination"), 500, required=True,
                             description=_l("Where the goods are to be delivered"))
    needed_by = DateField(_l("Needed by"), [InputRequired(REQUIRED)])
    urgent = BooleanField(_l("Urgent"))
    approved_by = text_field(_l("Approved by telephone by"), 200,
                             description=_l("Only for an urgent requisition already approved by telephone: who "
                                            "approved it. It is then approved at once and the stock held. Leave "
                                            "empty to have the supplying organisation approve it."))
    note = text_field(_l("Note"), 2000, area=True)
    lines = FieldList(FormField(ItemLine), min_entries=BLANK_LINES, max_entries=50)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for line in self.lines:
            if line.is_blank():
                continue
            if not line.item_id.data:
                line.item_id.errors = [*line.item_id.errors, _("Choose the item.")]
                valid = False
            if line.quantity.data is None and not line.quantity.errors:
                line.quantity.errors = [*line.quantity.errors, str(REQUIRED)]
                valid = False
        if all(line.is_blank() for line in self.lines):
            self.form_errors.append(_("Add at least one item and its quantity."))
            valid = False
        if self.approved_by.data and self.approved_by.data.strip() and not self.urgent.data:
            self.approved_by.errors = [*self.approved_by.errors, _(
                "Only an urgent requisition is approved by telephone: tick Urgent, or leave this empty.")]
            valid = False
        return valid

    def payload(self) -> dict:
        body = super().payload()
        body["urgent"] = bool(self.urgent.data)
        if self.urgent.data and (self.approved_by.data or "").strip():
            body["approved_by"] = self.approved_by.data.strip()
        filled = [line for line in self.lines if not line.is_blank()]
        self.sent_lines = [{"item_id": line.item_id, "quantity": line.quantity} for line in filled]
        body["lines"] = [{"item_id": line.item_id.data, "quantity": json_number(line.quantity.data)}
                         for line in filled]
        return body
