"""`GET /plans/readiness`: every approved plan's readiness in one list, by the rule `GET /plans/{id}/readiness` uses."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from servicekit.schemas import Day, PageArgs, page_schema
from services.plans.api import schemas
from services.plans.api.context import request_session
from services.plans.use_cases import readiness
from services.plans.use_cases.schedule import compliance_of

blp = Blueprint("plan_readiness", __name__, url_prefix="/api/v1",
                description="Readiness of every approved plan against the stock the depots announced")


class ApprovedPlanReadinessSchema(schemas.ReadinessSchema):
    """One approved plan: what it is and when it is due beside its readiness (`ready`, `lines`)."""

    code = fields.String(attribute="plan.code")
    title = fields.String(attribute="plan.title")
    type = fields.String(attribute="plan.type")
    next_drill_due = Day(attribute="plan.next_drill_due", allow_none=True)
    compliance = fields.Function(lambda row: compliance_of(row["plan"]),
                                 metadata={"enum": list(schemas.COMPLIANCE),
                                           "description": "as on the plan: of its drill and evaluation dates"})
    needs_revision = fields.Boolean(attribute="plan.needs_revision")


ApprovedPlanReadinessPage = page_schema(ApprovedPlanReadinessSchema, "ApprovedPlanReadinessPage")


# A literal segment: `/plans/{plan_id}` only takes a UUID, so the two never meet.
@blp.route("/plans/readiness")
class ApprovedPlansReadiness(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ApprovedPlanReadinessPage)
    def get(self, page):
        """Every approved plan by code with its readiness (`ready`, `lines` for each required item, as
        `GET /plans/{id}/readiness` answers it), its drill due date, compliance and `needs_revision`"""
        return readiness.approved_readiness(session=request_session(), **page)
