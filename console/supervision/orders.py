"""The rectification orders (整改指令) in the person's scope: by status, enterprise and overdue, the overdue ones
in red with how many days, an order to stop production (停产整顿) marked."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from console import gateway_api
from console.supervision import blp, choosers
from console.supervision.forms import page_args
from console.supervision.order_forms import OrderFilter


@blp.get("/")
@blp.get("/orders")
def orders():
    filters = OrderFilter(org_id=choosers.enterprise_choices(choosers.enterprises(), blank=_("All enterprises")))
    asked = filters.params()
    listing = gateway_api.get("/rectification-orders", **asked, **page_args())
    return render_template("supervision/orders.html", listing=listing, filters=filters, asked=asked)
