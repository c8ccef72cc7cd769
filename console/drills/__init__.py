"""Drill pages: the month calendar, a drill's conduct and evaluation, findings and the corrective-actions board."""
from flask import Blueprint, render_template

blp = Blueprint("drills", __name__, url_prefix="/drills")


@blp.get("/")
def calendar():
    return render_template("drills/calendar.html")
