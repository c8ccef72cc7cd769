"""Alerts, the nearest depots for a need, and stock in and out of spreadsheets."""
from __future__ import annotations

import datetime as dt

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.locations import created
from servicekit.openapi import BINARY, file_answer
from services.resources.api import equipment_schemas as schemas
from services.resources.api import operations_schemas as sheet_schemas
from services.resources.api.context import current_actor, reads_before_writing, request_session, today
from services.resources.use_cases import alerts, nearest, spreadsheets

blp = Blueprint("insight", __name__, url_prefix="/api/v1", description="Alerts, nearest depots, spreadsheets")

# Whole Content-Type values, given as `content_type=`: werkzeug appends its own charset to a text/* `mimetype=`.
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@blp.route("/alerts")
class Alerts(MethodView):
    @blp.arguments(schemas.AlertQuery, location="query")
    @blp.response(200, schemas.AlertListSchema)
    def get(self, query):
        """What needs attention, most urgent first: expired lots, inspections due, low stock, lots expiring"""
        page, per_page = query.pop("page"), query.pop("per_page")
        found = alerts.alerts(session=request_session(), today=today(), **query)
        # A list like every other: the urgency order is only known once all are found, so page afterwards.
        start = (page - 1) * per_page
        return {"items": found[start:start + per_page], "total": len(found), "page": page, "per_page": per_page}


@blp.route("/stock/nearest")
class Nearest(MethodView):
    @blp.arguments(schemas.NearestQuery, location="query")
    @blp.response(200, schemas.NearestSchema)
    @blp.alt_response(404, description="No such item")
    def get(self, query):
        """Depots holding the quantity, nearest first (great-circle km), then partial holders"""
        return nearest.nearest(session=request_session(), today=today(), **query)


@blp.route("/stock/export")
class Export(MethodView):
    @blp.arguments(sheet_schemas.ExportQuery, location="query")
    @blp.doc(responses=file_answer("The balances as a spreadsheet",
                                   {"text/csv": BINARY, CONTENT_TYPES["xlsx"]: BINARY}))
    def get(self, query):
        """Balances with codes and names, as CSV (UTF-8 with BOM) or XLSX"""
        fmt = query.pop("format")
        rows = spreadsheets.export_rows(session=request_session(), today=today(), **query)
        body = spreadsheets.to_csv(rows) if fmt == "csv" else spreadsheets.to_xlsx(rows)
        filename = f"erdm-stock-{dt.date.isoformat(today())}.{fmt}"
        return Response(body, content_type=CONTENT_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.route("/stock/import")
class Import(MethodView):
    @blp.arguments(sheet_schemas.ImportFileSchema, location="files")
    @blp.response(201, sheet_schemas.ImportResultSchema)
    @blp.alt_response(422, description="`errors` names each bad row by its number (the header is row 1)")
    def post(self, files):
        """Receive stock from a spreadsheet: every filled row, or none"""
        content = files["file"].read()
        with reads_before_writing() as reads:
            imported = spreadsheets.import_receipts(content, session=request_session(), reads=reads,
                                                    actor=current_actor(), today=today())
        return created(imported, "stock.Movements", batch_id=imported["batch_id"])
