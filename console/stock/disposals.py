"""Writing stock off (报废): one lot's expired, damaged or failed stock taken off the books with its approver,
offered from an expired lot's alert and from a lot on its depot's page, back to the depot when done."""
from __future__ import annotations

import uuid
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from console import gateway_api
from console.filters import named, quantity
from console.gateway_api import Refused
from console.stock import blp, choosers, forms, keepers, refused
from console.stock.choosers import CHOOSE

# The API's reasons (services/resources/use_cases/disposals.py REASONS), said in the page's language.
REASONS = (("expired", _l("Expired")), ("damaged", _l("Damaged")), ("quality_failed", _l("Failed quality inspection")),
           ("other", _l("Other")))


class DisposalForm(forms.OperationForm):
    SENT = ("warehouse_id", "lot_id", "quantity", "reason", "approved_by", "note")
    warehouse_id = SelectField(_l("Depot"), [InputRequired(forms.REQUIRED)], choices=[])
    lot_id = SelectField(_l("Lot"), [InputRequired(forms.REQUIRED)], choices=[])
    quantity = forms.quantity_field(_l("Quantity to write off"))
    reason = SelectField(_l("Reason"), choices=[SelectChoice(value, label) for value, label in REASONS])
    approved_by = StringField(_l("Approved by"), [InputRequired(forms.REQUIRED), Length(max=200)],
                              description=_l("Who authorised the write-off, e.g. the head of logistics"))
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)],
                         description=_l("e.g. how it was found, the approval document's number, how it is disposed of"))


@blp.route("/dispose", methods=["GET", "POST"])
@keepers.stock_keepers_only
def dispose():
    """The write-off form (GET, the depot and lot chosen by the link), or send it (POST)."""
    form = DisposalForm(data={name: request.args[name] for name in ("warehouse_id", "lot_id")
                              if request.args.get(name)})
    lots = _offer_choices(form)
    if request.method == "GET":
        return _page(form, lots)
    if not form.validate_on_submit():
        return _page(form, lots), 422
    try:
        answer = gateway_api.post("/stock/disposals", form.payload(),
                                  headers={"Idempotency-Key": form.idempotency_key.data})
    except Refused as refusal:
        status = _refused(form, refusal, lots.get(form.lot_id.data))
        return _page(form, lots), status
    flash(_written_off(answer, reason=dict(REASONS).get(answer.get("reason"), answer.get("reason"))), "success")
    return redirect(url_for("stock.depot", warehouse_id=form.warehouse_id.data))


def _offer_choices(form: DisposalForm) -> dict[str, dict]:
    """Fill the depot and lot choosers; the chosen depot's lots by id (the lot's facts are shown beside the form)."""
    form.warehouse_id.choices = choosers.depots()
    depot_id = form.warehouse_id.data
    lots = {lot["id"]: lot for lot in gateway_api.all_pages("/stock/lots", warehouse_id=depot_id)} if depot_id else {}
    form.lot_id.choices = [CHOOSE, *(SelectChoice(lot_id, choosers.lot_label(lot)) for lot_id, lot in lots.items())]
    if not form.idempotency_key.data:
        form.idempotency_key.data = str(uuid.uuid4())
    return lots


def _refused(form: DisposalForm, refusal: Refused, lot: dict | None) -> int:
    """The stock refusals a write-off has of its own said in the person's words; the rest as every stock form."""
    field = refusal.problem.get("field")
    if refusal.status != 409 or field not in ("quantity", "item_id"):
        return refused.on_form(form, refusal)
    if field == "quantity":
        unit = ((lot or {}).get("item") or {}).get("unit") or ""
        form.quantity.errors = [*form.quantity.errors, _(
            "Only %(available)s %(unit)s of this lot can be written off: %(reserved)s %(unit)s of it is reserved.",
            available=quantity(refusal.problem.get("available")), reserved=quantity(refusal.problem.get("reserved")),
            unit=unit)]
    else:
        form.form_errors.append(_("This lot is equipment: take its unit out of service on the equipment pages."))
    form.idempotency_key.data = str(uuid.uuid4())  # the corrected form is a new request
    return 409


def _written_off(answer: dict, *, reason) -> str:
    return _("Wrote off %(quantity)s %(unit)s of %(item)s, batch %(batch)s, at %(depot)s (%(reason)s, approved by "
             "%(approver)s).", quantity=quantity(answer["quantity"]), unit=(answer.get("item") or {}).get("unit") or "",
             item=named(answer.get("item")), batch=answer.get("batch_no") or "—", depot=named(answer.get("warehouse")),
             reason=reason, approver=answer.get("approved_by"))


def _page(form: DisposalForm, lots: dict[str, dict]):
    depot_id = form.warehouse_id.data
    depot_named = choosers.label_of(form.warehouse_id.choices, depot_id) if depot_id else None
    lot = lots.get(form.lot_id.data)
    # What can go: the lot less what is reserved from it (decimals kept exact, as the API reckons it).
    free = Decimal(str(lot["quantity"])) - Decimal(str(lot["reserved"])) if lot else None
    return render_template("stock/disposal.html", form=form, depot_id=depot_id, depot_named=depot_named, lot=lot,
                           free=free)
