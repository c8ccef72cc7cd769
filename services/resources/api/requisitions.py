"""Requisitions (动用申请): ask another organisation for stock, approve, dispatch, sign for, return."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.resources.api import requisition_schemas as schemas
from services.resources.api.context import current_actor, now, request_session, today
from services.resources.use_cases import requisition_shipping as shipping
from services.resources.use_cases import requisitions

blp = Blueprint("requisitions", __name__, url_prefix="/api/v1",
                description="Requests to use stock: approval, dispatch, receipt and return")

WRONG_STATE = "Not from the requisition's current status (`current_status` says it)"
WRONG_SIDE = "The other side of the requisition takes this step"


@blp.route("/requisitions")
class Requisitions(MethodView):
    @blp.arguments(schemas.RequisitionQuery, location="query")
    @blp.response(200, schemas.RequisitionPage)
    def get(self, query):
        """Requisitions your organisation asked for or supplies, newest first"""
        return requisitions.listing(session=request_session(), actor=current_actor(), **query)

    @blp.arguments(schemas.RequisitionRequestSchema)
    @blp.response(201, schemas.RequisitionSchema)
    @blp.alt_response(409, description="Urgent with an approver, and the supplier's stock does not cover it: "
                                        "`shortfall` names the items; nothing is created")
    def post(self, data):
        """Ask for stock; urgent with `approved_by` (approved by telephone) is approved at once"""
        made = requisitions.create(data, session=request_session(), actor=current_actor(), now=now(), today=today())
        return created(made, "requisitions.RequisitionById", requisition_id=made.id)


@blp.route("/requisitions/<uuid:requisition_id>")
@etags.tagged
class RequisitionById(MethodView):
    @blp.response(200, schemas.RequisitionSchema)
    def get(self, requisition_id):
        """One requisition with its lines, the lots drawn and what came back"""
        return requisitions.get(requisition_id, session=request_session(), actor=current_actor())


def _context():
    return {"session": request_session(), "actor": current_actor(), "now": now()}



@blp.route("/requisitions/<uuid:requisition_id>/approve")
class Approve(MethodView):
    @blp.arguments(schemas.ApproveSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE + ", or not enough stock: `shortfall` names the items and nothing is held")
    def post(self, data, requisition_id):
        """Approve (supplying side): hold every line first-expiry-first-out from your depots"""
        return requisitions.approve(requisition_id, data, today=today(), **_context())


@blp.route("/requisitions/<uuid:requisition_id>/reject")
class Reject(MethodView):
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, requisition_id):
        """Reject (supplying side), saying why"""
        return requisitions.reject(requisition_id, data, **_context())


@blp.route("/requisitions/<uuid:requisition_id>/cancel")
class Cancel(MethodView):
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, requisition_id):
        """Cancel before dispatch (either side); what was held goes back to stock"""
        return requisitions.cancel(requisition_id, data, **_context())


@blp.route("/requisitions/<uuid:requisition_id>/dispatch")
class Dispatch(MethodView):
    @blp.arguments(schemas.DispatchSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, requisition_id):
        """Dispatch on a waybill (supplying side): the held stock leaves its depots"""
        return shipping.dispatch(requisition_id, data, today=today(), **_context())


@blp.route("/requisitions/<uuid:requisition_id>/receive")
class Receive(MethodView):
    @blp.arguments(schemas.ReceiveSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, requisition_id):
        """Sign for what arrived (requesting side); what did not is recorded lost"""
        return shipping.receive(requisition_id, data, today=today(), **_context())


@blp.route("/requisitions/<uuid:requisition_id>/return")
class Return(MethodView):
    @blp.arguments(schemas.ReturnRequestSchema)
    @blp.response(200, schemas.RequisitionSchema)
    @blp.alt_response(403, description=WRONG_SIDE)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, data, requisition_id):
        """Return what is left and close (requesting side): usable to stock, damaged written off, the rest used"""
        return shipping.return_goods(requisition_id, data, today=today(), **_context())
