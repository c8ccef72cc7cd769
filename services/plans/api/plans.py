"""The plan register: plans, their content, the resources they require, readiness and activity."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.plans.api import schemas
from services.plans.api.context import current_actor, request_session, today
from services.plans.use_cases import activity, plans, readiness

blp = Blueprint("plans", __name__, url_prefix="/api/v1", description="Emergency plans (应急预案) and what they require")


@blp.route("/plans")
class Plans(MethodView):
    @blp.arguments(schemas.PlanQuery, location="query")
    @blp.response(200, schemas.PlanPage)
    def get(self, query):
        """Plans by code; filter by type, status, owner_org, hazard, compliance; `q` searches code and title;
        `activated_by` lists the plans a severe-weather warning opens"""
        return plans.list_plans(session=request_session(), today=today(), actor=current_actor(), **query)

    @blp.arguments(schemas.PlanSchema)
    @blp.response(201, schemas.PlanSchema)
    @blp.alt_response(403, description="The organisation lies outside the caller's scope")
    @blp.alt_response(409, description="The code is taken")
    def post(self, data):
        """Register a plan as version 1, a draft, for the caller's organisation or `org_id`/`org_code` in its
        scope; its code is unique"""
        plan = plans.create(data, session=request_session(), actor=current_actor())
        return created(plan, "plans.PlanById", plan_id=plan.id)


@blp.route("/plans/<uuid:plan_id>")
@etags.tagged
class PlanById(MethodView):
    @blp.response(200, schemas.PlanSchema)
    def get(self, plan_id):
        """The plan as in force, with its due dates, compliance and any open revision (`draft_version`)"""
        return plans.get(plan_id, session=request_session())

    @blp.arguments(schemas.PlanSchema(partial=True))
    @blp.response(200, schemas.PlanSchema)
    @blp.alt_response(409, description="The version being edited is approved (or retired): open a revision")
    def patch(self, changes, plan_id):
        """Edit the draft (or the version under review, or the open revision); an approved version never changes"""
        etags.require_current(plans.get(plan_id, session=request_session()), schemas.PlanSchema)
        return plans.update(plan_id, changes, session=request_session(), actor=current_actor())


@blp.route("/plans/<uuid:plan_id>/requirements")
class Requirements(MethodView):
    @blp.arguments(schemas.RequirementsSchema)
    @blp.response(200, schemas.PlanSchema)
    @blp.alt_response(409, description="The plan is retired, or its version is approved with no revision open")
    def put(self, data, plan_id):
        """Replace what the version being worked on requires on hand (one line per item): the draft, the version
        under review or the open revision; the version in force keeps its own until the revision is approved"""
        return plans.set_requirements(plan_id, data["lines"], session=request_session(), actor=current_actor())


@blp.route("/plans/<uuid:plan_id>/readiness")
class Readiness(MethodView):
    @blp.response(200, schemas.ReadinessSchema)
    def get(self, plan_id):
        """Required against available in the depots of the plan's organisation subtree within the caller's scope,
        from the stock positions the resources service announced"""
        return readiness.plan_readiness(plan_id, session=request_session())


@blp.route("/plans/<uuid:plan_id>/versions")
class Versions(MethodView):
    @blp.arguments(schemas.PageArgs, location="query")
    @blp.response(200, schemas.VersionPage)
    def get(self, page, plan_id):
        """Every version, oldest first, with who wrote, submitted and approved it"""
        return plans.list_versions(plan_id, session=request_session(), **page)


@blp.route("/plans/<uuid:plan_id>/versions/<int:number>")
@etags.tagged
class VersionByNumber(MethodView):
    @blp.response(200, schemas.VersionSchema)
    def get(self, plan_id, number):
        """One version's content, as written (and, once approved, as signed)"""
        return plans.get_version(plan_id, number, session=request_session())


@blp.route("/plans/<uuid:plan_id>/activity")
class Activity(MethodView):
    @blp.response(200, schemas.ActivityListSchema)
    def get(self, plan_id):
        """Who changed the plan, when, and in which request"""
        plans.get(plan_id, session=request_session())
        return {"items": activity.history(plan_id, session=request_session())}
