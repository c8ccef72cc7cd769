"""Alerts: what needs a logistics officer's attention, grouped by kind in the API's order of urgency (expired lots,
units out of service, inspections due, low stock, lots expiring), each linking to its depot or unit."""
from __future__ import annotations

from itertools import groupby

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from console import gateway_api
from console.stock import blp, forms
from console.stock import depot_item_choices as choices
from console.words import LABELS

# The API's kinds, most urgent first (the order it answers them in).
KINDS = ("expired", "out_of_service", "inspection_due", "low_stock", "expiring")
PER_PAGE = 50
DEFAULT_WITHIN_DAYS = 30


class AlertFilter(FlaskForm):
    class Meta:
        csrf = False

    within_days = IntegerField(_l("Looking ahead (days)"), default=DEFAULT_WITHIN_DAYS,
                               validators=[Optional(), NumberRange(min=0, max=3650)])
    kind = SelectField(_l("Kind"), choices=[choices.ANY, *(SelectChoice(kind, LABELS[kind]) for kind in KINDS)],
                       validate_choice=False)
    warehouse_id = SelectField(_l("Depot"), validate_choice=False)
    item_id = SelectField(_l("Item"), validate_choice=False)

    def __init__(self, *, depots, items):
        super().__init__(formdata=request.args)
        self.warehouse_id.choices, self.item_id.choices = depots, items

    def params(self) -> dict:
        """Every filter but the kind, as the API's query parameters."""
        within = self.within_days.data if self.within_days.data is not None else DEFAULT_WITHIN_DAYS
        return {"within_days": within, "warehouse_id": self.warehouse_id.data or None,
                "item_id": self.item_id.data or None}


@blp.get("/alerts")
def alerts():
    filters = AlertFilter(depots=choices.depots(blank=choices.ANY), items=choices.items(blank=choices.ANY))
    if not filters.validate():
        return render_template("stock/alerts.html", filters=filters, counts={}, listing=None, groups=[]), 422
    # One small call per kind for the counts on the kind switches (each asks only for its own kind).
    counts = {kind: gateway_api.get("/alerts", kind=kind, per_page=1, **filters.params())["total"] for kind in KINDS}
    kind = filters.kind.data if filters.kind.data in KINDS else None
    listing = gateway_api.get("/alerts", kind=kind, page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", PER_PAGE, type=int), **filters.params())
    groups = [(kind, list(found)) for kind, found in groupby(listing["items"], key=lambda alert: alert["kind"])]
    return render_template("stock/alerts.html", filters=filters, counts=counts, listing=listing, groups=groups,
                           kind=kind, kinds=KINDS, can_write=forms.keeps_stock())
