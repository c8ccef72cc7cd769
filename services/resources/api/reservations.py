"""Reservations: hold stock for a purpose, then release or consume it."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.resources.api import schemas
from services.resources.api.context import current_actor, now, reads_before_writing, request_session, today
from services.resources.domain.reservations import RELEASED_ON_REQUEST
from services.resources.use_cases import reservations
from services.resources.use_cases.requisition_records import refuse_if_held_for_one

blp = Blueprint("reservations", __name__, url_prefix="/api/v1", description="Stock held for drills and operations")


@blp.route("/reservations")
class Reservations(MethodView):
    @blp.arguments(schemas.ReservationRequestSchema)
    @blp.response(201, schemas.ReservationSchema)
    @blp.alt_response(409, description="Not enough stock for some line: `shortfall` lists them; nothing is held")
    def post(self, data):
        """Hold every line or none, earliest-expiring lots first"""
        with reads_before_writing() as reads:
            held = reservations.reserve(data["lines"], reference=data["reference"], expires_at=data.get("expires_at"),
                                        session=request_session(), reads=reads, actor=current_actor(), now=now(),
                                        today=today())
        return created(held, "reservations.ReservationById", reservation_id=held.id)


@blp.route("/reservations/<uuid:reservation_id>")
@etags.tagged
class ReservationById(MethodView):
    @blp.response(200, schemas.ReservationSchema)
    def get(self, reservation_id):
        """One reservation with its allocations"""
        return reservations.get(reservation_id, session=request_session())


@blp.route("/reservations/<uuid:reservation_id>/release")
class Release(MethodView):
    @blp.arguments(schemas.ReleaseSchema, required=False)
    @blp.response(200, schemas.ReservationSchema)
    @blp.alt_response(409, description="The reservation is no longer held, or holds a requisition's stock")
    def post(self, data, reservation_id):
        """Give back everything the reservation holds"""
        reservations.get(reservation_id, session=request_session())  # 404 outside the caller's scope
        refuse_if_held_for_one(request_session(), reservation_id)
        with reads_before_writing() as reads:
            return reservations.release(reservation_id, session=request_session(), reads=reads, actor=current_actor(),
                                        now=now(), reason=(data or {}).get("reason", RELEASED_ON_REQUEST))


@blp.route("/reservations/<uuid:reservation_id>/consume")
class Consume(MethodView):
    @blp.arguments(schemas.ConsumeSchema)
    @blp.response(200, schemas.ReservationSchema)
    @blp.alt_response(409, description="The reservation is no longer held, has expired, holds less than this, or "
                                        "holds a requisition's stock")
    def post(self, data, reservation_id):
        """Use part of the reservation; the rest is released"""
        reservations.get(reservation_id, session=request_session())  # 404 outside the caller's scope
        refuse_if_held_for_one(request_session(), reservation_id)
        return reservations.consume(reservation_id, data["lines"], session=request_session(), actor=current_actor(),
                                    now=now())
