"""Serial-numbered equipment units and their inspections."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.resources.api import equipment_schemas as schemas
from services.resources.api.context import current_actor, now, request_session, today
from services.resources.use_cases import equipment

blp = Blueprint("equipment", __name__, url_prefix="/api/v1", description="Equipment units and inspections")


@blp.route("/equipment")
class Units(MethodView):
    @blp.arguments(schemas.EquipmentQuery, location="query")
    @blp.response(200, schemas.EquipmentPage)
    def get(self, query):
        """Units, by item and serial number"""
        return equipment.units(session=request_session(), **query)

    @blp.arguments(schemas.EquipmentSchema)
    @blp.response(201, schemas.EquipmentSchema)
    @blp.alt_response(404, description="No such depot or item")
    @blp.alt_response(409, description="The item is a material, or this serial number is registered")
    def post(self, data):
        """Register a unit in a depot: this is its receipt"""
        unit = equipment.register(data, session=request_session(), actor=current_actor(), today=today())
        return created(unit, "equipment.UnitById", unit_id=unit.id)


@blp.route("/equipment/<uuid:unit_id>")
@etags.tagged
class UnitById(MethodView):
    @blp.response(200, schemas.EquipmentSchema)
    def get(self, unit_id):
        """One unit with its inspections, newest first"""
        return equipment.get(unit_id, session=request_session())


@blp.route("/equipment/<uuid:unit_id>/inspections")
class Inspections(MethodView):
    @blp.arguments(schemas.InspectionSchema)
    @blp.response(201, schemas.InspectionSchema)
    @blp.alt_response(409, description="The unit is retired")
    def post(self, data, unit_id):
        """Record an inspection: pass returns the unit to service, fail takes it out (`Location`: the unit,
        which lists its inspections)"""
        inspection = equipment.inspect(unit_id, data, session=request_session(), actor=current_actor(),
                                       today=today(), now=now())
        return created(inspection, "equipment.UnitById", unit_id=unit_id)


@blp.route("/equipment/<uuid:unit_id>/retire")
class Retire(MethodView):
    @blp.arguments(schemas.RetireSchema)
    @blp.response(200, schemas.EquipmentSchema)
    @blp.alt_response(409, description="The unit is retired already, or reserved")
    def post(self, data, unit_id):
        """Take a unit off the books for good (scrapped or lost)"""
        return equipment.retire(unit_id, data["reason"], session=request_session(), actor=current_actor(),
                                today=today())
