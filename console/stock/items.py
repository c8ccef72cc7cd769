"""The item catalog (物资目录): items with their GB/T 38565 category, unit, kind, shelf life and inspection
interval; adding one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused
from console.stock import blp, choosers, forms
from console.stock.keepers import stock_keepers_only


def _filters() -> dict:
    kind = request.args.get("kind")
    return {"q": request.args.get("q", "").strip() or None, "kind": kind if kind in forms.ITEM_KINDS else None,
            "category_code": request.args.get("category_code") or None,
            "include_inactive": "true" if request.args.get("include_inactive") else None}


@blp.get("/items")
def items():
    return _catalog_page(forms.ItemForm(), choosers.categories())


@blp.post("/items")
@stock_keepers_only
def add_item():
    tree = choosers.categories()
    form = forms.ItemForm()
    form.category_code.choices = [choosers.CHOOSE, *choosers.category_choices(tree)]
    if not form.validate_on_submit():
        return _catalog_page(form, tree, status=422)
    try:
        item = gateway_api.post("/items", form.payload())
    except Refused as refusal:
        return _catalog_page(form, tree, status=forms.refused(form, refusal))
    flash(_("Item %(item)s added to the catalog.", item=named(item)), "success")
    return redirect(url_for("stock.items", q=item["code"]))


def _catalog_page(form: forms.ItemForm, tree: list[dict], *, status: int = 200):
    filters = _filters()
    listing = gateway_api.get("/items", **filters, page=request.args.get("page", type=int),
                              per_page=request.args.get("per_page", type=int))
    options = choosers.category_choices(tree)
    form.category_code.choices = [choosers.CHOOSE, *options]
    return render_template("stock/items.html", listing=listing, filters=filters, form=form, category_options=options,
                           categories={category["code"]: category for category in tree}, kinds=forms.ITEM_KINDS), status
