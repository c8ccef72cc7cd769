"""Drill pages: the month calendar and the list, scheduling, a drill's conduct and evaluation, findings and the
corrective-actions board, calendar feeds."""
from flask import Blueprint

blp = Blueprint("drills", __name__, url_prefix="/drills")

# The views register themselves on `blp`; one module per job.
from console.drills import access, calendar, listing, scheduling, page, conduct  # noqa: E402,F401
from console.drills import evaluation, findings, actions, feeds  # noqa: E402,F401
