"""Receipts, issues, balances, lots and the ledger."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.resources.api import schemas
from services.resources.api.context import current_actor, now, reads_before_writing, request_session, today
from services.resources.use_cases import stock

NOT_FOUND = "No such depot or item"
EQUIPMENT = "The item is equipment: its stock moves as registered units (/api/v1/equipment)"

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock on hand and its immutable ledger")


@blp.route("/stock/receipts")
class Receipts(MethodView):
    @blp.arguments(schemas.ReceiptSchema)
    @blp.response(201, schemas.ReceiptResultSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description=EQUIPMENT)
    def post(self, data):
        """Receive stock into a depot as a lot (batch and expiry kept)"""
        with reads_before_writing() as reads:
            receipt = stock.receive(data, session=request_session(), reads=reads, actor=current_actor(), today=today())
        return created(receipt, "stock.MovementById", movement_id=receipt["movement_id"])


@blp.route("/stock/issues")
class Issues(MethodView):
    @blp.arguments(schemas.IssueSchema)
    @blp.response(201, schemas.IssueResultSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description="Not enough available stock (`shortfall` says how much there is), "
                                        "or " + EQUIPMENT)
    def post(self, data):
        """Issue stock from a depot, earliest-expiring lots first"""
        with reads_before_writing() as reads:
            issued = stock.issue(data, session=request_session(), reads=reads, actor=current_actor(), today=today(),
                                 now=now())
        return created(issued, "stock.Movements", batch_id=issued["batch_id"])


@blp.route("/stock")
class Balances(MethodView):
    @blp.arguments(schemas.BalanceQuery, location="query")
    @blp.response(200, schemas.BalancePage)
    def get(self, query):
        """Balances per depot and item: on hand, reserved, available"""
        return stock.balances(session=request_session(), today=today(), **query)


@blp.route("/stock/lots")
class Lots(MethodView):
    @blp.arguments(schemas.LotQuery, location="query")
    @blp.response(200, schemas.LotPage)
    def get(self, query):
        """Lots with batch, expiry and quantity, earliest expiry first"""
        return stock.lots(session=request_session(), **query)


@blp.route("/movements")
class Movements(MethodView):
    @blp.arguments(schemas.MovementQuery, location="query")
    @blp.response(200, schemas.MovementPage)
    def get(self, query):
        """The ledger, newest first"""
        return stock.movements(session=request_session(), **query)


@blp.route("/movements/<uuid:movement_id>")
@etags.tagged
class MovementById(MethodView):
    @blp.response(200, schemas.MovementSchema)
    def get(self, movement_id):
        """One ledger line"""
        return stock.movement(movement_id, session=request_session())
