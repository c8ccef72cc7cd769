"""Equipment: the serial-numbered units with their inspection dates, one unit's inspections, registering a unit,
recording an inspection and decommissioning a unit."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused
from console.stock import attention, blp, choosers, local_time, refused
from console.stock.equipment_forms import InspectionForm, RegisterUnitForm, RetireUnitForm, UnitFilter
from console.stock.keepers import stock_keepers_only

PER_PAGE = 50
# A past inspection date is overdue (red); one within the alerts' 30 days is coming up (amber).
DUE_STATES = {"past": "overdue", "soon": "due_soon"}


def due_state(next_due: str | None, today: dt.date) -> str | None:
    """"overdue", "due_soon" or None for a unit's next inspection date."""
    return DUE_STATES.get(attention.date_state(next_due, today))


def _helpers() -> dict:
    return {"due_state": due_state, "today": local_time.today()}


@blp.get("/equipment")
def equipment():
    filters = UnitFilter(warehouse_id=choosers.depots(blank=choosers.ALL_DEPOTS),
                         item_id=choosers.items(blank=choosers.ALL_ITEMS, kind="equipment"))
    units = gateway_api.get("/equipment", **filters.params(), page=request.args.get("page", 1, type=int),
                            per_page=request.args.get("per_page", PER_PAGE, type=int))
    return render_template("stock/equipment.html", units=units, filters=filters, **_helpers())


@blp.route("/equipment/new", methods=["GET", "POST"])
@stock_keepers_only
def register_unit():
    form = RegisterUnitForm()
    form.warehouse_id.choices = choosers.depots()
    form.item_id.choices = choosers.items(kind="equipment")
    if request.method == "GET":
        form.warehouse_id.data = request.args.get("warehouse_id", "")
        form.item_id.data = request.args.get("item_id", "")
    if form.validate_on_submit():
        try:
            unit = gateway_api.post("/equipment", form.payload())
        except Refused as refusal:
            status = refused.on_form(form, refusal)
            return render_template("stock/equipment_new.html", form=form), status
        flash(_("%(item)s unit %(serial)s is registered at %(depot)s.", item=named(unit.get("item")),
                serial=unit["serial_no"], depot=named(unit.get("warehouse"))), "success")
        return redirect(url_for("stock.unit", unit_id=unit["id"]))
    return render_template("stock/equipment_new.html", form=form), 422 if form.errors else 200


@blp.get("/equipment/<uuid:unit_id>")
def unit(unit_id):
    return _unit_page(unit_id, InspectionForm(), RetireUnitForm())


def _unit_page(unit_id, inspection_form: InspectionForm, retire_form: RetireUnitForm, status: int = 200):
    record = gateway_api.get(f"/equipment/{unit_id}")
    return render_template("stock/equipment_unit.html", unit=record, inspection_form=inspection_form,
                           retire_form=retire_form, **_helpers()), status


@blp.post("/equipment/<uuid:unit_id>/inspections")
@stock_keepers_only
def record_inspection(unit_id):
    form = InspectionForm()
    if form.validate_on_submit():
        try:
            inspection = gateway_api.post(f"/equipment/{unit_id}/inspections", form.payload())
        except Refused as refusal:
            if refusal.status == 404:
                raise
            return _unit_page(unit_id, form, RetireUnitForm(formdata=None), refused.on_form(form, refusal))
        if inspection["result"] == "pass":
            flash(_("The inspection is recorded: passed."), "success")
        else:
            flash(_("The inspection is recorded: failed. The unit is out of service until it passes one."), "info")
        return redirect(url_for("stock.unit", unit_id=unit_id))
    return _unit_page(unit_id, form, RetireUnitForm(formdata=None), 422)


@blp.post("/equipment/<uuid:unit_id>/retire")
@stock_keepers_only
def retire_unit(unit_id):
    form = RetireUnitForm()
    if form.validate_on_submit():
        try:
            gateway_api.post(f"/equipment/{unit_id}/retire", form.payload())
        except Refused as refusal:
            if refusal.status == 404:
                raise
            return _unit_page(unit_id, InspectionForm(formdata=None), form, refused.on_form(form, refusal))
        flash(_("The unit is decommissioned and has left the stock."), "success")
        return redirect(url_for("stock.unit", unit_id=unit_id))
    return _unit_page(unit_id, InspectionForm(formdata=None), form, 422)
