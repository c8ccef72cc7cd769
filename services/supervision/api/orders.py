"""Rectification orders (整改指令): issue, sign for, report fixed, review until closed (销号)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created
from services.supervision.api import order_schemas as schemas
from services.supervision.api.context import current_actor, now, request_session, today
from services.supervision.use_cases import orders

blp = Blueprint("rectification_orders", __name__, url_prefix="/api/v1",
                description="Rectification orders: issued, signed for, reported fixed, reviewed and closed")

WRONG_STATE = "Not from the order's current status (`current_status` and `allowed_from` say it)"


@blp.route("/rectification-orders")
class RectificationOrders(MethodView):
    @blp.arguments(schemas.OrderQuery, location="query")
    @blp.response(200, schemas.RectificationOrderPage)
    def get(self, query):
        """Orders in your scope, the latest issued first; `overdue=true` those past due and not closed"""
        return orders.listing(session=request_session(), today=today(), **query)

    @blp.arguments(schemas.RectificationOrderRequestSchema)
    @blp.response(201, schemas.RectificationOrderSchema)
    @blp.alt_response(403, description="The organisation named lies outside your scope")
    @blp.alt_response(409, description="A hazard is already under an open order: `hazard_ids` names them")
    def post(self, data):
        """Order an enterprise to rectify hazards of its own by a day; `suspend_production` stops it meanwhile"""
        order = orders.issue(data, session=request_session(), actor=current_actor(), now=now(), today=today())
        return created(order, "rectification_orders.RectificationOrderById", order_id=order.id)


@blp.route("/rectification-orders/<uuid:order_id>")
@etags.tagged
class RectificationOrderById(MethodView):
    @blp.response(200, schemas.RectificationOrderSchema)
    def get(self, order_id):
        """One order with its hazards and reviews"""
        return orders.get(order_id, session=request_session(), today=today())


@blp.route("/rectification-orders/<uuid:order_id>/acknowledge")
class Acknowledge(MethodView):
    @blp.arguments(schemas.OrderAcknowledgementSchema)
    @blp.response(200, schemas.RectificationOrderSchema)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, order_id):
        """Sign for the order (issued → acknowledged): the enterprise's registered head or a deputy in charge"""
        return orders.acknowledge(order_id, data, session=request_session(), actor=current_actor(), now=now(),
                                  today=today())


@blp.route("/rectification-orders/<uuid:order_id>/report")
class Report(MethodView):
    @blp.arguments(schemas.OrderReportSchema)
    @blp.response(200, schemas.RectificationOrderSchema)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, order_id):
        """Report the hazards fixed (acknowledged → reported), saying what was done and when"""
        return orders.report(order_id, data, session=request_session(), actor=current_actor(), now=now(),
                             today=today())


@blp.route("/rectification-orders/<uuid:order_id>/review")
class Review(MethodView):
    @blp.arguments(schemas.OrderReviewRequestSchema)
    @blp.response(200, schemas.RectificationOrderSchema)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, order_id):
        """Review a reported order: passed closes it (销号); failed sends it back with a new due date"""
        return orders.review(order_id, data, session=request_session(), actor=current_actor(), now=now(),
                             today=today())
