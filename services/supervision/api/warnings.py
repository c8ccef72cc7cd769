"""Severe-weather warnings (预警): issued to the enterprises they reach, answered by each, closed with a summary."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created
from services.supervision.api import warning_schemas as schemas
from services.supervision.api.context import current_actor, now, request_session, today
from services.supervision.use_cases import warning_targets, warnings

blp = Blueprint("warnings", __name__, url_prefix="/api/v1",
                description="Severe-weather warnings to enterprises: acknowledge (叫应), report (停产撤人), resume, close")

WRONG_STEP = ("Out of order (`current_status` is the target's, `allowed_from` the statuses the step is taken from), "
              "or the warning is closed")
NOT_REACHED = "No such warning, or no such target on it within your scope"


@blp.route("/warnings")
class Warnings(MethodView):
    @blp.arguments(schemas.WarningQuery, location="query")
    @blp.response(200, schemas.WarningPage)
    def get(self, query):
        """Warnings your organisation issued or was sent (or those within your scope), newest first"""
        return warnings.listing(session=request_session(), now=now(), **query)

    @blp.arguments(schemas.WarningRequestSchema)
    @blp.response(201, schemas.WarningSchema)
    @blp.alt_response(403, description="Your organisation is not a bureau")
    def post(self, data):
        """Issue a warning from your bureau to every enterprise within your scope in its districts and industries
        (an empty `industries`: every industry); 422 on `districts` or `industries` if it would reach none"""
        made = warnings.issue(data, session=request_session(), actor=current_actor(), now=now(), today=today())
        return created(made, "warnings.WarningById", warning_id=made.id)


@blp.route("/warnings/<uuid:warning_id>")
@etags.tagged
class WarningById(MethodView):
    @blp.response(200, schemas.WarningSchema)
    def get(self, warning_id):
        """One warning: its targets within your scope with their answers and `ack_overdue`, counted by status"""
        return warnings.get(warning_id, session=request_session(), now=now())


@blp.route("/warnings/<uuid:warning_id>/close")
class Close(MethodView):
    @blp.arguments(schemas.CloseSchema)
    @blp.response(200, schemas.WarningSchema)
    @blp.alt_response(403, description="Only the issuing bureau, or one above it, closes a warning")
    @blp.alt_response(409, description="Already closed")
    def post(self, data, warning_id):
        """Close the warning with its summary; the targets that never acknowledged stay listed"""
        return warnings.close(warning_id, data, session=request_session(), actor=current_actor(), now=now())


@blp.route("/warnings/<uuid:warning_id>/targets/<uuid:org_id>/acknowledge")
class Acknowledge(MethodView):
    @blp.arguments(schemas.AcknowledgeSchema)
    @blp.response(200, schemas.WarningSchema)
    @blp.alt_response(404, description=NOT_REACHED)
    @blp.alt_response(409, description=WRONG_STEP)
    def post(self, data, warning_id, org_id):
        """Acknowledge the warning for the enterprise (叫应); after `ack_due_at` it is taken, and shown late"""
        return warning_targets.acknowledge(warning_id, org_id, data, session=request_session(), actor=current_actor(),
                                  now=now())


@blp.route("/warnings/<uuid:warning_id>/targets/<uuid:org_id>/report")
class Report(MethodView):
    @blp.arguments(schemas.ReportSchema)
    @blp.response(200, schemas.WarningSchema)
    @blp.alt_response(404, description=NOT_REACHED)
    @blp.alt_response(409, description=WRONG_STEP)
    def post(self, data, warning_id, org_id):
        """Report what the enterprise did once acknowledged: stopped at, people evacuated, rainfall, a note"""
        return warning_targets.report(warning_id, org_id, data, session=request_session(), actor=current_actor(),
                                  now=now())


@blp.route("/warnings/<uuid:warning_id>/targets/<uuid:org_id>/resume")
class Resume(MethodView):
    @blp.arguments(schemas.ResumeSchema)
    @blp.response(200, schemas.WarningSchema)
    @blp.alt_response(404, description=NOT_REACHED)
    @blp.alt_response(409, description=WRONG_STEP)
    def post(self, data, warning_id, org_id):
        """The enterprise resumes production after its report"""
        return warning_targets.resume(warning_id, org_id, data, session=request_session(), actor=current_actor(),
                                  now=now())
