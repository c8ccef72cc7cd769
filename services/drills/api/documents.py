"""A drill's printed documents: its record and evaluation report (演练记录与评估报告) as a PDF."""
from __future__ import annotations

from pathlib import Path

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.documents import DocumentTemplates, pdf_responses
from services.drills.api.context import now, request_session
from services.drills.use_cases import documents

blp = Blueprint("drill_documents", __name__, url_prefix="/api/v1", description="Printed documents of drills (PDF)")
templates = DocumentTemplates(Path(__file__).parents[1] / "documents")


@blp.route("/drills/<uuid:drill_id>/report.pdf")
class DrillReport(MethodView):
    @blp.doc(responses=pdf_responses("The drill's record and evaluation report (演练记录与评估报告), A4"))
    def get(self, drill_id):
        """The drill, its participants, the resources used, its scores and rating, its findings and their actions"""
        return templates.answer(documents.drill_report(drill_id, session=request_session()), printed_at=now())
