"""Depots: the list with its map, one depot's balances and lots with expiry, registering, editing and retiring one."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api, words
from console.filters import named
from console.gateway_api import Refused
from console.stock import attention, blp, choosers, forms, local_time, refused
from console.stock.keepers import keeps_stock, stock_keepers_only
from console.stock.list_filters import DepotListFilter

EXPIRY_KINDS = {"past": "expired", "soon": "expiring"}
BALANCES_PER_PAGE = 100
LOTS_PER_PAGE = 100


@blp.get("/")
def depots():
    return _list_page(forms.NewDepotForm())


@blp.post("/")
@stock_keepers_only
def register_depot():
    form = forms.NewDepotForm()
    if not form.validate_on_submit():
        return _list_page(form, status=422)
    try:
        depot = gateway_api.post("/warehouses", form.payload())
    except Refused as refusal:
        return _list_page(form, status=refused.on_form(form, refusal))
    flash(_("Depot %(depot)s registered.", depot=named(depot)), "success")
    return redirect(url_for("stock.depot", warehouse_id=depot["id"]))


def _list_page(form: forms.NewDepotForm, *, status: int = 200):
    filters = DepotListFilter()
    asked = filters.params()  # the map is asked for the same depots (depot_markers)
    listing = gateway_api.get("/warehouses", **asked, page=request.args.get("page", type=int),
                              per_page=request.args.get("per_page", type=int))
    if keeps_stock():
        form.org_code.choices = [SelectChoice("", _("My organisation")), *_organisations()]
    markers_url = url_for("stock.depot_markers", **{name: value for name, value in asked.items() if value})
    return render_template("stock/depots.html", listing=listing, filters=filters, asked=asked, form=form,
                           markers_url=markers_url), status


def _organisations() -> list[SelectChoice]:
    """The organisations a depot may be registered for; none to choose when the person's scope holds only theirs
    (or the directory cannot be read just now: the depot is then the person's own organisation's)."""
    try:
        found = choosers.organisations()
    except Refused:
        return []
    return found if len(found) > 1 else []


@blp.get("/depots/markers.json")
def depot_markers():
    """Every depot the list's filters find that has coordinates, for the map (depot-map.js)."""
    found = gateway_api.all_pages("/warehouses", **DepotListFilter().params())
    return jsonify({"depots": [_marker(depot) for depot in found
                               if depot.get("lat") is not None and depot.get("lon") is not None]})


def _marker(depot: dict) -> dict:
    return {"code": depot["code"], "name": depot["name"], "lat": depot["lat"], "lon": depot["lon"],
            "level": words.label(depot.get("level")), "active": depot.get("active", True),
            "url": url_for("stock.depot", warehouse_id=depot["id"])}


@blp.get("/depots/<uuid:warehouse_id>")
def depot(warehouse_id):
    depot = gateway_api.get(f"/warehouses/{warehouse_id}")
    balances = gateway_api.get("/stock", warehouse_id=str(warehouse_id), page=request.args.get("page", type=int),
                               per_page=BALANCES_PER_PAGE)
    lots = gateway_api.get("/stock/lots", warehouse_id=str(warehouse_id),
                           page=request.args.get("lots_page", type=int), per_page=LOTS_PER_PAGE)
    today = local_time.today()
    equipment = _equipment_items()
    for balance in balances["items"]:
        balance["below_quota"] = attention.below_quota(balance)
        balance["is_equipment"] = balance["item_id"] in equipment
    for lot in lots["items"]:
        lot["is_equipment"] = lot["item_id"] in equipment
        # Said with the alerts' kinds, whose words and colours the status badge knows.
        lot["expiry_state"] = EXPIRY_KINDS.get(attention.date_state(lot.get("expiry_date"), today))
    placed = depot.get("lat") is not None and depot.get("lon") is not None
    return render_template("stock/depot.html", depot=depot, balances=balances, lots=lots, today=today,
                           markers=[_marker(depot)] if placed else [])


def _equipment_items() -> set[str]:
    """The catalog's equipment items: their stock is serial-numbered units, kept on the equipment pages, which the
    operations (materials only) do not move."""
    return {item["id"] for item in gateway_api.all_pages("/items", kind="equipment", include_inactive="true")}


@blp.route("/depots/<uuid:warehouse_id>/edit", methods=["GET", "POST"])
@stock_keepers_only
def edit_depot(warehouse_id):
    answer = gateway_api.call("GET", f"/warehouses/{warehouse_id}")
    depot = answer.json()
    if request.method == "GET":
        form = forms.EditDepotForm(data={**depot, "version": answer.headers.get("ETag", "")})
        return render_template("stock/depot_edit.html", depot=depot, form=form)
    form = forms.EditDepotForm()
    if not form.validate_on_submit():
        return render_template("stock/depot_edit.html", depot=depot, form=form), 422
    try:
        gateway_api.call("PATCH", f"/warehouses/{warehouse_id}", json=form.payload(),
                         headers={"If-Match": form.version.data} if form.version.data else {})
    except Refused as refusal:
        if refusal.status == 412:
            flash(_("Someone changed this depot after you opened the form. Here it is as it is now: make your "
                    "change again."), "error")
            return redirect(url_for("stock.edit_depot", warehouse_id=warehouse_id))
        status = refused.on_form(form, refusal)
        return render_template("stock/depot_edit.html", depot=depot, form=form), status
    flash(_("Depot %(depot)s saved.", depot=named(form.payload())), "success")
    return redirect(url_for("stock.depot", warehouse_id=warehouse_id))


@blp.post("/depots/<uuid:warehouse_id>/retire")
@stock_keepers_only
def retire_depot(warehouse_id):
    return _set_active(warehouse_id, False)


@blp.post("/depots/<uuid:warehouse_id>/reinstate")
@stock_keepers_only
def reinstate_depot(warehouse_id):
    return _set_active(warehouse_id, True)


def _set_active(warehouse_id, active: bool):
    try:
        depot = gateway_api.patch(f"/warehouses/{warehouse_id}", {"active": active})
    except Refused as refusal:
        if refusal.status == 404:
            raise
        flash(_("The depot could not be changed: %(reason)s", reason=refusal.detail), "error")
    else:
        flash(_("Depot %(depot)s retired: it keeps its history and takes no new stock.", depot=named(depot))
              if not active else _("Depot %(depot)s is back in use.", depot=named(depot)), "success")
    return redirect(url_for("stock.depot", warehouse_id=warehouse_id))
