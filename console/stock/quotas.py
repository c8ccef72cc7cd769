"""Reserve quotas (储备定额): the positions below their quota first, every balance beside its quota, and setting one."""
from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from console import gateway_api
from console.filters import named, quantity
from console.gateway_api import Refused
from console.stock import attention, blp, choosers, refused
from console.stock.forms import REQUIRED, NumberField, at_most_three_decimals, json_number
from console.stock.keepers import stock_keepers_only
from console.stock.list_filters import DepotItemFilter

PER_PAGE = 50


class QuotaForm(FlaskForm):
    warehouse_id = SelectField(_l("Depot"), validators=[DataRequired(REQUIRED)])
    item_id = SelectField(_l("Item"), validators=[DataRequired(REQUIRED)])
    min_quantity = NumberField(_l("Reserve quota"), [InputRequired(REQUIRED), at_most_three_decimals,
                                                      NumberRange(min=0, message=_l("The quota cannot be below 0."))],
                               description=_l("The least that must stay available at this depot; 0 removes the quota."))

    def payload(self) -> dict:
        return {"warehouse_id": self.warehouse_id.data, "item_id": self.item_id.data,
                "min_quantity": json_number(self.min_quantity.data)}


def _page(form: QuotaForm, status: int = 200):
    # A POST's form already has its choices (it was validated against them): ask the gateway once.
    depots, items = form.warehouse_id.choices or choosers.depots(), form.item_id.choices or choosers.items()
    filters = DepotItemFilter(warehouse_id=[choosers.ALL_DEPOTS, *depots[1:]], item_id=[choosers.ALL_ITEMS, *items[1:]])
    form.warehouse_id.choices, form.item_id.choices = depots, items
    balances = gateway_api.get("/stock", **filters.params(), page=request.args.get("page", 1, type=int),
                               per_page=request.args.get("per_page", PER_PAGE, type=int))
    for balance in balances.get("items") or []:
        balance["below_quota"] = attention.below_quota(balance)
    below = gateway_api.all_pages("/alerts", kind="low_stock", per_page=500, limit=500, **filters.params())
    if request.method == "GET" and filters.warehouse_id.data and filters.item_id.data:
        # Opened from a balance's "set" link: the form names that position and its quota now.
        form.warehouse_id.data, form.item_id.data = filters.warehouse_id.data, filters.item_id.data
        current = next(iter(balances.get("items") or []), None)
        if current is not None:
            form.min_quantity.data = Decimal(str(current.get("min_quantity") or 0))
    return render_template("stock/quotas.html", form=form, filters=filters, balances=balances, below=below), status


@blp.get("/quotas")
def quotas():
    return _page(QuotaForm(formdata=None))


@blp.post("/quotas")
@stock_keepers_only
def set_quota():
    form = QuotaForm()
    form.warehouse_id.choices, form.item_id.choices = choosers.depots(), choosers.items()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        position = gateway_api.put("/quotas", form.payload())
    except Refused as refusal:
        return _page(form, refused.on_form(form, refusal))
    item = position.get("item") or {}
    flash(_("The reserve quota of %(item)s at %(depot)s is now %(quantity)s %(unit)s.", item=named(item),
            depot=named(position.get("warehouse")), quantity=quantity(position.get("min_quantity")),
            unit=item.get("unit") or ""), "success")
    return redirect(url_for("stock.quotas", warehouse_id=position.get("warehouse_id"), item_id=position.get("item_id")))
