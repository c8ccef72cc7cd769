"""Look-backs (回头看) at closed rectification orders, and their result: held, or relapsed (new orders)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created
from services.supervision.api import follow_up_schemas as schemas
from services.supervision.api.context import current_actor, now, request_session, today
from services.supervision.use_cases import follow_ups

blp = Blueprint("follow_ups", __name__, url_prefix="/api/v1", description="Look-backs at closed rectification orders")


@blp.route("/follow-ups")
class FollowUps(MethodView):
    @blp.arguments(schemas.FollowUpQuery, location="query")
    @blp.response(200, schemas.FollowUpPage)
    def get(self, query):
        """Look-backs in your scope, the soonest due first"""
        return follow_ups.listing(session=request_session(), today=today(), **query)

    @blp.arguments(schemas.FollowUpRequestSchema)
    @blp.response(201, schemas.FollowUpSchema)
    @blp.alt_response(409, description="Some orders are not closed, already await a look-back or already relapsed: "
                                       "`order_ids` names them")
    def post(self, data):
        """Schedule a look-back at closed orders"""
        follow_up = follow_ups.schedule(data, session=request_session(), actor=current_actor(), today=today())
        return created(follow_up, "follow_ups.FollowUpById", follow_up_id=follow_up.id)


@blp.route("/follow-ups/<uuid:follow_up_id>")
@etags.tagged
class FollowUpById(MethodView):
    @blp.response(200, schemas.FollowUpSchema)
    def get(self, follow_up_id):
        """One look-back with its orders and, after a relapse, the orders it opened"""
        return follow_ups.get(follow_up_id, session=request_session(), today=today())


@blp.route("/follow-ups/<uuid:follow_up_id>/result")
class Result(MethodView):
    @blp.arguments(schemas.FollowUpResultSchema)
    @blp.response(200, schemas.FollowUpSchema)
    @blp.alt_response(409, description="The look-back already has its result (`current_status` says it)")
    def post(self, data, follow_up_id):
        """Record what the look-back found: held, or relapsed (a new order for each order's hazards)"""
        return follow_ups.record_result(follow_up_id, data, session=request_session(), actor=current_actor(),
                                        now=now(), today=today())
