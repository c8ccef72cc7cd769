"""Supervision pages (隐患整改与预警): hazards found in inspections, the rectification orders issued for them with
the enterprise's sign-off, report and the bureau's review, the look-backs at closed orders, and severe-weather
warnings with each enterprise's acknowledgement and report."""
from flask import Blueprint

blp = Blueprint("supervision", __name__, url_prefix="/supervision")

# The views (and who is offered their forms) register themselves on `blp`; one module per job.
from console.supervision import roles  # noqa: E402,F401
from console.supervision import hazards, orders, order_new, order_page  # noqa: E402,F401
from console.supervision import follow_ups, warnings_list, warning_new, warning_page  # noqa: E402,F401
