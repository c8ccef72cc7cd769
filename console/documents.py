"""The printed documents (PDF) offered on the pages that show their records: each fetched from the gateway with the
signed-in person's token and handed to the browser as the service made it (its name, shown inline, never cached).

The console holds no record and renders no PDF: a plan's filing form, a drill's report, a depot's ledger and a
rectification order are the services' (GET /api/v1/…pdf), so a person gets exactly the document the API would give
them, within their scope (a record outside it is the API's 404, and the console's).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, request

from console import gateway_api
from console.gateway_api import Refused

blp = Blueprint("documents", __name__, url_prefix="/documents")

PDF = "application/pdf"
LEDGER_PERIOD = ("warehouse_id", "from", "to")  # what the ledger takes from the page's query, the API's words


def relay(path: str, params: dict | None = None) -> Response:
    """GET /api/v1{path} as the signed-in person: the PDF with the service's file name, or the API's refusal as
    the console's error page (404 for a record outside the person's scope, 422 for a bad period)."""
    try:
        answer = gateway_api.call("GET", path, params=params or {})
    except Refused as refused:
        abort(refused.status if refused.status in (403, 404, 422) else 400, refused.detail)
    if answer.headers.get("Content-Type", "").split(";")[0].strip() != PDF:
        abort(502)  # never hand the browser as a PDF what is not one
    headers = {"Cache-Control": "no-store"}
    if answer.headers.get("Content-Disposition"):
        headers["Content-Disposition"] = answer.headers["Content-Disposition"]
    return Response(answer.content, content_type=PDF, headers=headers)


@blp.get("/plans/<uuid:plan_id>/filing-form.pdf")
def filing_form(plan_id):
    return relay(f"/plans/{plan_id}/filing-form.pdf")


@blp.get("/drills/<uuid:drill_id>/report.pdf")
def drill_report(drill_id):
    return relay(f"/drills/{drill_id}/report.pdf")


@blp.get("/stock/ledger.pdf")
def stock_ledger():
    return relay("/stock/ledger.pdf", {name: request.args[name] for name in LEDGER_PERIOD if request.args.get(name)})


@blp.get("/rectification-orders/<uuid:order_id>.pdf")
def rectification_order(order_id):
    return relay(f"/rectification-orders/{order_id}.pdf")
