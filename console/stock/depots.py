"""Depots: the list with its map, one depot's balances with lots and expiry, creating and editing a depot."""
from flask import render_template

from console.stock import blp


@blp.get("/")
def depots():
    return render_template("stock/depots.html")
