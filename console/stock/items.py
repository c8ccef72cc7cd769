"""The item catalog (物资目录): items with their GB/T 38565 category, unit, kind, shelf life and inspection
interval; adding one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused
from console.stock import blp, choosers, forms, refused
from console.stock.keepers import stock_keepers_only
from console.stock.list_filters import ItemListFilter


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
        return _catalog_page(form, tree, status=refused.on_form(form, refusal))
    flash(_("Item %(item)s added to the catalog.", item=named(item)), "success")
    return redirect(url_for("stock.items", q=item["code"]))


def _catalog_page(form: forms.ItemForm, tree: list[dict], *, status: int = 200):
    options = choosers.category_choices(tree)
    filters = ItemListFilter(category_code=[SelectChoice("", _("All categories")), *options])
    asked = filters.params()
    listing = gateway_api.get("/items", **asked, page=request.args.get("page", type=int),
                              per_page=request.args.get("per_page", type=int))
    form.category_code.choices = [choosers.CHOOSE, *options]
    return render_template("stock/items.html", listing=listing, filters=filters, asked=asked, form=form,
                           categories={category["code"]: category for category in tree}), status
