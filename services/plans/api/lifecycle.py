"""The plan's steps: submit, approve, retire, revise, file."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.locations import created

from services.plans.api import schemas
from services.plans.api.context import current_actor, now, request_session, work_calendar
from services.plans.use_cases import lifecycle

blp = Blueprint("plan_lifecycle", __name__, url_prefix="/api/v1",
                description="Review, approval (签发), filing (备案), revision and retirement of plans")

ILLEGAL = "The step is not allowed from the current status, which the problem names (`current_status`)"


@blp.route("/plans/<uuid:plan_id>/submit")
class Submit(MethodView):
    @blp.response(200, schemas.PlanSchema)
    @blp.alt_response(409, description=ILLEGAL)
    def post(self, plan_id):
        """Send the draft (or the open revision) for review"""
        return lifecycle.submit(plan_id, session=request_session(), actor=current_actor(), now=now())


@blp.route("/plans/<uuid:plan_id>/approve")
class Approve(MethodView):
    @blp.arguments(schemas.ApprovalSchema)
    @blp.response(200, schemas.PlanSchema)
    @blp.alt_response(409, description=ILLEGAL)
    def post(self, data, plan_id):
        """Approve the version under review; a revision then supersedes the version in force"""
        return lifecycle.approve(plan_id, approved_by=data["approved_by"], approved_at=data.get("approved_at"),
                                 session=request_session(), actor=current_actor(), now=now(),
                                 work_calendar=work_calendar())


@blp.route("/plans/<uuid:plan_id>/retire")
class Retire(MethodView):
    @blp.arguments(schemas.RetirementSchema, required=False)
    @blp.response(200, schemas.PlanSchema)
    @blp.alt_response(409, description=ILLEGAL)
    def post(self, data, plan_id):
        """Take an approved plan out of force (an open revision is withdrawn)"""
        return lifecycle.retire(plan_id, reason=(data or {}).get("reason"), session=request_session(),
                                actor=current_actor(), now=now(), work_calendar=work_calendar())


@blp.route("/plans/<uuid:plan_id>/revisions")
class Revisions(MethodView):
    @blp.arguments(schemas.RevisionSchema)
    @blp.response(201, schemas.VersionSchema)
    @blp.alt_response(409, description="The plan is not approved, or a revision is already open")
    def post(self, data, plan_id):
        """Open draft version n+1 of an approved plan; version n stays in force until n+1 is approved"""
        draft = lifecycle.open_revision(plan_id, reason=data["reason"], note=data.get("note"),
                                        finding_id=data.get("finding_id"), session=request_session(),
                                        actor=current_actor())
        return created(draft, "plans.VersionByNumber", plan_id=plan_id, number=draft.number)


@blp.route("/plans/<uuid:plan_id>/filings")
class Filings(MethodView):
    @blp.arguments(schemas.PageArgs, location="query")
    @blp.response(200, schemas.FilingPage)
    def get(self, page, plan_id):
        """Every filing of every version, oldest first"""
        return lifecycle.list_filings(plan_id, session=request_session(), **page)

    @blp.arguments(schemas.FilingSchema)
    @blp.response(201, schemas.FilingSchema)
    @blp.alt_response(409, description="The plan is not approved")
    def post(self, data, plan_id):
        """Record the filing (备案) of the version in force with the authority (`Location`: the plan's filings)"""
        filing = lifecycle.record_filing(plan_id, data, session=request_session(), actor=current_actor(), now=now())
        return created(filing, "plan_lifecycle.Filings", plan_id=plan_id)
