"""The plan's printed documents: its filing form (应急预案备案登记表) as a PDF."""
from __future__ import annotations

from pathlib import Path

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.documents import DocumentTemplates, pdf_responses
from services.plans.api.context import now, request_session
from services.plans.use_cases import documents

blp = Blueprint("plan_documents", __name__, url_prefix="/api/v1", description="Printed documents of plans (PDF)")
templates = DocumentTemplates(Path(__file__).parents[1] / "documents")


@blp.route("/plans/<uuid:plan_id>/filing-form.pdf")
class FilingForm(MethodView):
    @blp.doc(responses=pdf_responses("The filing form (应急预案备案登记表), A4"))
    def get(self, plan_id):
        """The filing form of the version in force, to sign, stamp and hand to the authority"""
        return templates.answer(documents.filing_form(plan_id, session=request_session()), printed_at=now())
