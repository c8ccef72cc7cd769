"""Severe-weather warnings (预警): those in force and those lifted, by kind and level, each with how many of its
enterprises have acknowledged it (叫应)."""
from __future__ import annotations

from flask import render_template

from console import gateway_api
from console.supervision import blp
from console.supervision.forms import page_args
from console.supervision.warning_forms import WarningFilter


@blp.get("/warnings")
def warnings():
    filters = WarningFilter()
    asked = filters.params()
    listing = gateway_api.get("/warnings", **asked, **page_args())
    return render_template("supervision/warnings.html", listing=listing, filters=filters, asked=asked)
