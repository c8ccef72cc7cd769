"""The requesting side's two forms on a requisition, built from its own lines: signing for what arrived (one
quantity per item dispatched, the dispatched quantity offered) and returning what is left (per item that arrived:
how much comes back usable and how much damaged, each to one of the depots the goods came from)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectChoice, SelectField

from console.filters import named, quantity
from console.stock.forms import json_number, quantity_field
from console.stock.requisition_forms import StepForm, optional_quantity, text_field


def _amount(value) -> Decimal:
    return Decimal(str(value or 0))


class ArrivedLine(Form):
    quantity = quantity_field(_l("Arrived"), zero_allowed=True)


class ReceiveForm(StepForm):
    SENT = ("received_by", "note")
    received_by = text_field(_l("Signed for by"), 200, required=True)
    note = text_field(_l("Note"), 2000, area=True, description=_l("e.g. what was short or broken on arrival"))
    rows: list[dict]  # set by receive_form: the requisition's lines dispatched, one per entry of `lines`, in order

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for entry, line in zip(self.lines, self.rows, strict=True):
            if entry.quantity.data is not None and entry.quantity.data > _amount(line["dispatched"]):
                entry.quantity.errors = [*entry.quantity.errors, _(
                    "Only %(dispatched)s %(unit)s were dispatched.", dispatched=quantity(line["dispatched"]),
                    unit=(line.get("item") or {}).get("unit") or "")]
                valid = False
        return valid

    def payload(self) -> dict:
        body = super().payload()
        self.sent_lines = [{"quantity": entry.quantity} for entry in self.lines]
        body["lines"] = [{"item_id": line["item_id"], "quantity": json_number(entry.quantity.data)}
                         for entry, line in zip(self.lines, self.rows, strict=True)]
        return body


def receive_form(requisition: dict, *, blank: bool = False) -> ReceiveForm:
    """The form signing for `requisition`'s goods: as posted, or `blank` with what was dispatched offered."""
    rows = [line for line in requisition.get("lines", []) if _amount(line.get("dispatched"))]

    class Receiving(ReceiveForm):
        lines = FieldList(FormField(ArrivedLine), min_entries=len(rows), max_entries=len(rows))

    offered = {"lines": [{"quantity": _amount(line["dispatched"])} for line in rows]}
    form = Receiving(prefix="receive", formdata=None, data=offered) if blank else Receiving(prefix="receive")
    form.rows = rows
    return form


class ReturnedLine(Form):
    usable = optional_quantity(_l("Usable"))
    usable_depot = SelectField(_l("Back to depot"), choices=[])
    damaged = optional_quantity(_l("Damaged"))
    damaged_depot = SelectField(_l("Written off at depot"), choices=[])


class ReturnForm(StepForm):
    SENT = ("note",)
    note = text_field(_l("Note"), 2000, area=True, description=_l("What is not returned counts as used up."))
    rows: list[dict]  # set by return_form: the requisition's lines that arrived, one per entry of `lines`, in order

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for entry, line in zip(self.lines, self.rows, strict=True):
            back = (entry.usable.data or 0) + (entry.damaged.data or 0)
            if not entry.usable.errors and not entry.damaged.errors and back > _amount(line["received"]):
                entry.usable.errors = [*entry.usable.errors, _(
                    "Only %(received)s %(unit)s arrived.", received=quantity(line["received"]),
                    unit=(line.get("item") or {}).get("unit") or "")]
                valid = False
        return valid

    def payload(self) -> dict:
        body = super().payload()
        body["lines"], self.sent_lines = [], []
        for entry, line in zip(self.lines, self.rows, strict=True):
            for condition, amount, depot in (("usable", entry.usable, entry.usable_depot),
                                             ("damaged", entry.damaged, entry.damaged_depot)):
                if amount.data:
                    body["lines"].append({"item_id": line["item_id"], "quantity": json_number(amount.data),
                                          "warehouse_id": depot.data, "condition": condition})
                    self.sent_lines.append({"quantity": amount, "warehouse_id": depot, "condition": amount})
        return body


def source_depots(requisition: dict) -> list[SelectChoice]:
    """The depots the goods came from (the supplying organisation's, which the requester may not be able to list):
    where what comes back goes."""
    depots: dict[str, dict] = {}
    for allocation in requisition.get("allocations", []):
        depots.setdefault(allocation["warehouse_id"], allocation.get("warehouse"))
    return [SelectChoice(depot_id, named(depot)) for depot_id, depot in depots.items()]


def return_form(requisition: dict, *, blank: bool = False) -> ReturnForm:
    """The form returning what is left of `requisition`: as posted, or `blank` with each item's depot the one it
    came from."""
    rows = [line for line in requisition.get("lines", []) if _amount(line.get("received"))]
    depots = source_depots(requisition)

    class Returning(ReturnForm):
        lines = FieldList(FormField(ReturnedLine), min_entries=len(rows), max_entries=len(rows))

    offered = {"lines": [{"usable_depot": _came_from(requisition, line), "damaged_depot": _came_from(requisition, line)}
                         for line in rows]}
    form = Returning(prefix="return", formdata=None, data=offered) if blank else Returning(prefix="return")
    for entry in form.lines:
        entry.usable_depot.choices = entry.damaged_depot.choices = depots
    form.rows = rows
    return form


def _came_from(requisition: dict, line: dict) -> str | None:
    """The depot of the line's item's first allocation (FEFO's first draw), else the one the line asked for."""
    drawn = [a for a in requisition.get("allocations", []) if a.get("item_id") == line["item_id"]]
    return drawn[0]["warehouse_id"] if drawn else line.get("warehouse_id")
