"""Receive, issue, transfer and count: one form page each, offered from a depot's page, back to it when done.
(Writing off, 报废, has its own page: console/stock/disposals.py.)"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from console import gateway_api
from console.filters import named, quantity
from console.gateway_api import Refused
from console.stock import blp, choosers, forms, refused
from console.stock.keepers import stock_keepers_only


@dataclass(frozen=True)
class Operation:
    """A stock operation's page: its form, the API call it makes, and how its success is said."""

    form: type[forms.OperationForm]
    path: str
    title: object  # a lazy string: said in the page's language when shown
    submit: object
    depot_field: str  # the form field naming the depot whose page the person returns to
    done: Callable[[dict], str]


def _unit(answer: dict) -> str:
    return (answer.get("item") or {}).get("unit") or ""


def _received(answer: dict) -> str:
    said = {"quantity": quantity(answer["quantity"]), "unit": _unit(answer), "item": named(answer.get("item")),
            "depot": named(answer.get("warehouse"))}
    if answer.get("batch_no"):
        return _("Received %(quantity)s %(unit)s of %(item)s into %(depot)s, batch %(batch)s (now %(lot)s %(unit)s "
                 "in that lot).", batch=answer["batch_no"], lot=quantity(answer.get("lot_quantity")), **said)
    return _("Received %(quantity)s %(unit)s of %(item)s into %(depot)s.", **said)


def _issued(answer: dict) -> str:
    batches = ", ".join(f"{draw.get('batch_no') or '—'} × {quantity(draw['quantity'])}"
                        for draw in answer.get("draws", []))
    return _("Issued %(quantity)s %(unit)s of %(item)s from %(depot)s (lots drawn: %(batches)s).",
             quantity=quantity(answer["quantity"]), unit=_unit(answer), item=named(answer.get("item")),
             depot=named(answer.get("warehouse")), batches=batches or "—")


def _transferred(answer: dict) -> str:
    return _("Moved %(quantity)s %(unit)s of %(item)s from %(source)s to %(destination)s, batches and expiry kept.",
             quantity=quantity(answer["quantity"]), unit=_unit(answer), item=named(answer.get("item")),
             source=named(answer.get("from_warehouse")), destination=named(answer.get("to_warehouse")))


def _counted(answer: dict) -> str:
    counted = {"quantity": quantity(answer["counted_quantity"]), "unit": _unit(answer),
               "item": named(answer.get("item")), "depot": named(answer.get("warehouse")),
               "expected": quantity(answer.get("expected_quantity"))}
    if not answer.get("difference"):
        return _("Counted %(quantity)s %(unit)s of %(item)s at %(depot)s: the same as the books.", **counted)
    difference = quantity(answer["difference"])
    return _("Counted %(quantity)s %(unit)s of %(item)s at %(depot)s; the books said %(expected)s. The difference "
             "(%(difference)s) is in the ledger.", difference=difference if difference.startswith("-")
             else "+" + difference, **counted)


OPERATIONS = {
    "receive": Operation(forms.ReceiveForm, "/stock/receipts", _l("Receive stock"), _l("Receive"), "warehouse_id",
                         _received),
    "issue": Operation(forms.IssueForm, "/stock/issues", _l("Issue stock"), _l("Issue"), "warehouse_id", _issued),
    "transfer": Operation(forms.TransferForm, "/stock/transfers", _l("Transfer stock to another depot"),
                          _l("Transfer"), "from_warehouse_id", _transferred),
    "count": Operation(forms.CountForm, "/stock/adjustments", _l("Count stock (stocktake)"), _l("Record the count"),
                       "warehouse_id", _counted),
}
# What a link may choose in advance (?warehouse_id=… from a depot's page, ?item_id=… from one of its lines).
PRESELECTED = ("warehouse_id", "from_warehouse_id", "to_warehouse_id", "item_id", "lot_id")


@blp.route("/receive", methods=["GET", "POST"])
@stock_keepers_only
def receive():
    return _operate(OPERATIONS["receive"])


@blp.route("/issue", methods=["GET", "POST"])
@stock_keepers_only
def issue():
    return _operate(OPERATIONS["issue"])


@blp.route("/transfer", methods=["GET", "POST"])
@stock_keepers_only
def transfer():
    return _operate(OPERATIONS["transfer"])


@blp.route("/count", methods=["GET", "POST"])
@stock_keepers_only
def count():
    return _operate(OPERATIONS["count"])


def _operate(operation: Operation):
    """Show the operation's form (GET), or send it (POST): back to the depot's page when the API takes it, the
    same form with the refusal beside its fields when not."""
    chosen = {name: request.args[name] for name in PRESELECTED if request.args.get(name)}
    form = operation.form(data=chosen)  # on a POST the posted fields take the place of these
    forms.offer_choices(form)
    if request.method == "GET":
        return _page(operation, form)
    if not form.validate_on_submit():
        return _page(operation, form), 422
    try:
        answer = gateway_api.post(operation.path, form.payload(),
                                  headers={"Idempotency-Key": form.idempotency_key.data})
    except Refused as refusal:
        status = refused.on_form(form, refusal)
        return _page(operation, form), status
    flash(operation.done(answer), "success")
    return redirect(url_for("stock.depot", warehouse_id=form[operation.depot_field].data))


def _page(operation: Operation, form: forms.OperationForm):
    depot_id = form[operation.depot_field].data
    chosen = choosers.label_of(form[operation.depot_field].choices, depot_id)
    # What the chosen depot holds, beside the form: the quantities a person issues, moves or counts against.
    holdings = gateway_api.get("/stock", warehouse_id=depot_id, per_page=100) if chosen else None
    return render_template("stock/operation.html", operation=operation, form=form, depot_id=depot_id,
                           depot_named=chosen, holdings=holdings)
