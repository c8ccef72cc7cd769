"""Drills: schedule, read, filter, change before the start, and run them (start, complete, cancel)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.drills.api import schemas
from services.drills.api.context import current_actor, now, plan_lookup, read_session, request_session
from services.drills.use_cases import approved_plans, conduct, drills

blp = Blueprint("drills", __name__, url_prefix="/api/v1", description="Drills of approved plans (应急演练)")


@blp.route("/drills")
class Drills(MethodView):
    @blp.arguments(schemas.DrillQuery, location="query")
    @blp.response(200, schemas.DrillPage)
    def get(self, query):
        """Drills by scheduled start; filter by plan, status, a date range (`from`, `to`) and `upcoming`"""
        return drills.list_drills(session=request_session(), page=query["page"], per_page=query["per_page"],
                                  plan_id=query.get("plan_id"), status=query.get("status"),
                                  starts_from=query.get("from_"), starts_to=query.get("to"),
                                  upcoming=query.get("upcoming"), now=now())

    @blp.arguments(schemas.DrillSchema)
    @blp.response(201, schemas.DrillSchema)
    @blp.alt_response(404, description="The plan lies outside the caller's scope")
    @blp.alt_response(409, description="The plan is unknown or not approved")
    @blp.alt_response(503, description="The plans service could not be asked about the plan")
    def post(self, data):
        """Schedule a drill of an approved plan in the caller's scope (it belongs to the plan's organisation);
        its resources are asked of the resources service, from depots in that organisation's subtree"""
        # The plan is looked up before the write transaction opens: the plans service may be slow.
        plan = approved_plans.look_up(data["plan_id"], read_session=read_session, lookup=plan_lookup(),
                                      actor=current_actor())
        drill = drills.create(data, session=request_session(), actor=current_actor(), plan=plan)
        return created(drill, "drills.DrillById", drill_id=drill.id)


@blp.route("/drills/<uuid:drill_id>")
@etags.tagged
class DrillById(MethodView):
    @blp.response(200, schemas.DrillSchema)
    def get(self, drill_id):
        """One drill, with where its reservation stands"""
        return drills.get(drill_id, session=request_session())

    @blp.arguments(schemas.DrillSchema(partial=True))
    @blp.response(200, schemas.DrillSchema)
    @blp.alt_response(409, description="The drill has started, or the new plan is not approved")
    def patch(self, changes, drill_id):
        """Change a drill before it starts; a new time or new resources re-reserve"""
        new_plan = drills.look_up_new_plan(drill_id, changes, read_session=read_session, lookup=plan_lookup(),
                                           actor=current_actor())
        etags.require_current(drills.get(drill_id, session=request_session()), schemas.DrillSchema)
        return drills.update(drill_id, changes, session=request_session(), new_plan=new_plan)


@blp.route("/drills/<uuid:drill_id>/start")
class Start(MethodView):
    @blp.arguments(schemas.StartSchema, required=False)
    @blp.response(200, schemas.DrillSchema)
    @blp.alt_response(409, description="The drill is not ready")
    def post(self, data, drill_id):
        """Start a ready drill"""
        return conduct.start(drill_id, data or {}, session=request_session(), now=now())


@blp.route("/drills/<uuid:drill_id>/complete")
class Complete(MethodView):
    @blp.arguments(schemas.CompleteSchema)
    @blp.response(200, schemas.DrillSchema)
    @blp.alt_response(409, description="The drill is not in progress, more was consumed than reserved, "
                                       "or its hold was released so nothing can be consumed from it")
    def post(self, data, drill_id):
        """Complete a drill in progress: what it consumed is used up, the rest of its hold released"""
        return conduct.complete(drill_id, data, session=request_session(), now=now())


@blp.route("/drills/<uuid:drill_id>/cancel")
class Cancel(MethodView):
    @blp.arguments(schemas.CancelSchema, required=False)
    @blp.response(200, schemas.DrillSchema)
    @blp.alt_response(409, description="The drill is already completed or cancelled")
    def post(self, data, drill_id):
        """Cancel a drill before it completes; its hold is released"""
        return conduct.cancel(drill_id, data or {}, session=request_session(), now=now())


@blp.route("/drills/<uuid:drill_id>/retry-reservation")
class RetryReservation(MethodView):
    @blp.response(202, schemas.DrillSchema, description="Asked again: the drill is `pending_resources` until "
                                                        "the resources service answers")
    @blp.alt_response(409, description="The drill is not in `resource_shortfall`")
    def post(self, drill_id):
        """Ask the resources service again for the stock of a drill short of it"""
        return drills.retry_reservation(drill_id, session=request_session())
