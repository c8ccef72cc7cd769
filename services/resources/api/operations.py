"""Transfers between depots, stocktake adjustments, write-offs and reserve quotas."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.locations import created

from services.resources.api import operations_schemas as schemas
from services.resources.api.context import current_actor, now, request_session, today
from services.resources.api.schemas import BalanceSchema
from services.resources.use_cases import disposals, stocktake

NOT_FOUND = "No such depot or item"

blp = Blueprint("operations", __name__, url_prefix="/api/v1", description="Transfers, stocktakes, write-offs and quotas")


@blp.route("/stock/transfers")
class Transfers(MethodView):
    @blp.arguments(schemas.TransferSchema)
    @blp.response(201, schemas.TransferResultSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description="Not enough available at the source (`shortfall` says how much there is), "
                                        "or the item is equipment")
    def post(self, data):
        """Move stock to another depot, earliest-expiring lots first, keeping batch and expiry"""
        moved = stocktake.transfer(data, session=request_session(), actor=current_actor(), today=today(), now=now())
        return created(moved, "stock.Movements", batch_id=moved["batch_id"])


@blp.route("/stock/adjustments")
class Adjustments(MethodView):
    @blp.arguments(schemas.AdjustmentSchema)
    @blp.response(201, schemas.AdjustmentResultSchema)
    @blp.alt_response(404, description="No such depot, item, or lot of the item there")
    @blp.alt_response(409, description="The item is equipment, or the count is below what is reserved")
    def post(self, data):
        """Record a stocktake count: the difference from the books goes into the ledger with the reason"""
        counted = stocktake.adjust(data, session=request_session(), actor=current_actor(), today=today())
        return created(counted, "stock.Movements", batch_id=counted["batch_id"])


@blp.route("/stock/disposals")
class Disposals(MethodView):
    @blp.arguments(schemas.DisposalSchema)
    @blp.response(201, schemas.DisposalResultSchema)
    @blp.alt_response(404, description="No such depot, or no such lot there (`field`: lot_id)")
    @blp.alt_response(409, description="More than the lot's free part (`available` says how much), "
                                        "or the item is equipment")
    def post(self, data):
        """Write stock off (报废): part or all of one lot's free stock leaves the books, with reason and approver"""
        movement = disposals.dispose(data, session=request_session(), actor=current_actor(), today=today())
        return created(movement, "stock.MovementById", movement_id=movement.id)


@blp.route("/quotas")
class Quotas(MethodView):
    @blp.arguments(schemas.QuotaSchema)
    @blp.response(200, BalanceSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def put(self, data):
        """Set a depot's reserve quota (储备定额) for an item"""
        return stocktake.set_quota(data, session=request_session(), actor=current_actor(), today=today())
