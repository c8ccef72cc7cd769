"""The nearest depot: which depots can supply a quantity of an item to a place (typed, or a depot's own), nearest
first, then the ones holding part of it."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import DataRequired, Optional

from console import gateway_api
from console.filters import quantity
from console.gateway_api import Refused
from console.stock import blp, choosers, refused
from console.stock.forms import REQUIRED, latitude_field, longitude_field, quantity_field

class NearestForm(FlaskForm):
    """A search, so a GET form: its answer can be bookmarked and sent on, and it changes nothing."""

    class Meta:
        csrf = False

    item_id = SelectField(_l("Item"), validators=[DataRequired(REQUIRED)])
    quantity = quantity_field(_l("Quantity needed"))
    origin = SelectField(_l("From a depot"), validators=[Optional()])
    lat = latitude_field()
    lon = longitude_field()


def _origin(form: NearestForm) -> dict | None:
    """The depot chosen to measure from, its coordinates put in the form; None (with the reason beside the
    field) when it has none or cannot be read."""
    try:
        depot = gateway_api.get(f"/warehouses/{form.origin.data}")
    except Refused as refusal:
        form.origin.errors = [*form.origin.errors, refusal.detail]
        return None
    if depot.get("lat") is None or depot.get("lon") is None:
        form.origin.errors = [*form.origin.errors, _l("This depot has no coordinates; type the place instead.")]
        return None
    form.lat.data, form.lon.data = depot["lat"], depot["lon"]
    return depot


def _typed_place_given(form: NearestForm) -> bool:
    if form.lat.data is not None and form.lon.data is not None:
        return True
    missing = _l("Type the latitude and longitude, or choose a depot to take its coordinates.")
    for coordinate in (form.lat, form.lon):
        if coordinate.data is None:
            coordinate.errors = [*coordinate.errors, missing]
    return False


@blp.get("/nearest")
def nearest():
    asked = bool(request.args)
    form = NearestForm(formdata=request.args if asked else None)
    form.item_id.choices = choosers.items()
    form.origin.choices = choosers.depots(blank=SelectChoice("", _l("— none: type the coordinates —")))
    found = origin = None
    if asked and form.validate():
        origin = _origin(form) if form.origin.data else None
        if (origin is not None) if form.origin.data else _typed_place_given(form):
            try:
                found = gateway_api.get("/stock/nearest", item_id=form.item_id.data,
                                        quantity=quantity(form.quantity.data), lat=form.lat.data, lon=form.lon.data)
            except Refused as refusal:
                refused.on_form(form, refusal)
    status = 422 if asked and (form.errors or form.form_errors) else 200
    return render_template("stock/nearest.html", form=form, found=found, origin=origin), status
