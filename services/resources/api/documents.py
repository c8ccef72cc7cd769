"""The depots' printed documents: the stock ledger (物资台账) of one depot for a period, as a PDF."""
from __future__ import annotations

from pathlib import Path

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.documents import DocumentTemplates, pdf_responses
from services.resources.api import schemas
from services.resources.api.context import now, request_session, today
from services.resources.use_cases import documents

blp = Blueprint("stock_documents", __name__, url_prefix="/api/v1", description="Printed documents of stock (PDF)")
templates = DocumentTemplates(Path(__file__).parents[1] / "documents")


@blp.route("/stock/ledger.pdf")
class StockLedger(MethodView):
    @blp.arguments(schemas.LedgerQuery, location="query")
    @blp.doc(responses=pdf_responses("The depot's stock ledger (物资台账) for the period, A4"))
    @blp.alt_response(404, description="No such depot in the caller's scope")
    def get(self, query):
        """Per item: the balance at the start of `from`, every movement of stock on hand to the end of `to` with the
        balance after it (batch, expiry, who), and the closing balance; reconciles with /stock and /movements"""
        document = documents.stock_ledger(warehouse_id=query["warehouse_id"], from_=query.get("from_"),
                                          to=query.get("to"), today=today(), session=request_session())
        return templates.answer(document, printed_at=now())
