"""The stock ledger (台账): every movement, newest first, filtered by depot, item and type, with who made it."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.stock import blp, choosers
from console.stock.api_words import LEDGER_NOTES, said
from console.stock.list_filters import LedgerFilter
from contracts.references import drill_of

PER_PAGE = 50


@blp.get("/movements")
def ledger():
    # The ledger keeps the history of retired depots and items too: the filters offer them.
    filters = LedgerFilter(warehouse_id=choosers.depots(blank=choosers.ALL_DEPOTS, include_retired=True),
                           item_id=choosers.items(blank=choosers.ALL_ITEMS, include_retired=True))
    asked = filters.params()
    listing = gateway_api.get("/movements", **asked, page=request.args.get("page", type=int),
                              per_page=request.args.get("per_page", type=int) or PER_PAGE)
    for movement in listing["items"]:
        movement["signed"] = _signed_change(movement)
        movement["drill_id"] = drill_of(movement.get("reference"))
        movement["reference"] = _reference(movement)
        for said_by_the_api in ("reason", "note"):
            if movement.get(said_by_the_api):
                movement[said_by_the_api] = said(movement[said_by_the_api], LEDGER_NOTES)
    ledger_pdf = url_for("documents.stock_ledger", warehouse_id=asked["warehouse_id"], **filters.period())
    return render_template("stock/ledger.html", listing=listing, filters=filters, asked=asked, ledger_pdf=ledger_pdf,
                           depot_named=choosers.label_of(filters.warehouse_id.choices, asked["warehouse_id"]),
                           item_named=choosers.label_of(filters.item_id.choices, asked["item_id"]))


def _signed_change(movement: dict) -> dict:
    """What the movement did to the stock on hand, signed; or to what is reserved when it only reserved or
    released (a reservation moves nothing off the shelf)."""
    for delta, of_reserved in ((movement.get("on_hand_delta"), False), (movement.get("reserved_delta"), True)):
        if delta:
            return {"sign": "+" if delta > 0 else "−", "amount": abs(delta), "of_reserved": of_reserved}
    return {"sign": "", "amount": movement.get("quantity"), "of_reserved": False}


def _reference(movement: dict) -> str | None:
    """The movement's reference in the page's language: a transfer's is the API's "to CODE" / "from CODE"
    (services/resources/use_cases/stocktake.py), a drill's is "drill:<id>" (contracts/references.py); the others
    are what people typed, shown as typed."""
    reference, kind = movement.get("reference") or "", movement.get("type")
    if kind == "transfer_out" and reference.startswith("to "):
        return _("to %(depot)s", depot=reference.removeprefix("to "))
    if kind == "transfer_in" and reference.startswith("from "):
        return _("from %(depot)s", depot=reference.removeprefix("from "))
    if drill_of(reference):
        return None  # a drill's hold: the page links to the drill instead of showing its id
    return reference or None
