"""Hazards (事故隐患) found in inspections, recorded against the enterprise where they were found."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created
from services.supervision.api import order_schemas as schemas
from services.supervision.api.context import current_actor, now, request_session
from services.supervision.use_cases import hazards

blp = Blueprint("hazards", __name__, url_prefix="/api/v1", description="Hazards found in inspections")


@blp.route("/hazards")
class Hazards(MethodView):
    @blp.arguments(schemas.HazardQuery, location="query")
    @blp.response(200, schemas.HazardPage)
    def get(self, query):
        """Hazards in your scope, the latest found first"""
        return hazards.listing(session=request_session(), **query)

    @blp.arguments(schemas.HazardRequestSchema)
    @blp.response(201, schemas.HazardSchema)
    @blp.alt_response(403, description="The organisation named lies outside your scope")
    def post(self, data):
        """Record a hazard found at an enterprise (`org_id`/`org_code` in your scope; default your own)"""
        hazard = hazards.record(data, session=request_session(), actor=current_actor(), now=now())
        return created(hazard, "hazards.HazardById", hazard_id=hazard.id)


@blp.route("/hazards/<uuid:hazard_id>")
@etags.tagged
class HazardById(MethodView):
    @blp.response(200, schemas.HazardSchema)
    def get(self, hazard_id):
        """One hazard"""
        return hazards.get(hazard_id, session=request_session())
