"""Supervision's printed documents: the rectification order (整改指令书) as a PDF, with its signature lines."""
from __future__ import annotations

from pathlib import Path

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.documents import DocumentTemplates, pdf_responses
from services.supervision.api.context import now, request_session, today
from services.supervision.use_cases import documents

blp = Blueprint("supervision_documents", __name__, url_prefix="/api/v1",
                description="Printed documents of supervision (PDF)")
templates = DocumentTemplates(Path(__file__).parents[1] / "documents")


@blp.route("/rectification-orders/<uuid:order_id>.pdf")
class RectificationOrderPdf(MethodView):
    @blp.doc(responses=pdf_responses("The rectification order (整改指令书), A4"))
    def get(self, order_id):
        """The order with its hazards, requirements and due date, and the lines the issuing inspector and bureau
        sign and the enterprise's head signs for receipt"""
        document = documents.rectification_order(order_id, session=request_session(), today=today())
        return templates.answer(document, printed_at=now())
