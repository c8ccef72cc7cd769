"""Evaluation, findings and corrective actions of drills (AQ/T 9009; 整改 and 回头看)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit import etags
from servicekit.locations import created

from services.drills.api import schemas
from services.drills.api.context import current_actor, now, request_session, today
from services.drills.use_cases import followup

blp = Blueprint("followup", __name__, url_prefix="/api/v1",
                description="Evaluations, findings and corrective actions followed until verified")


@blp.route("/drills/<uuid:drill_id>/evaluation")
@etags.tagged
class DrillEvaluation(MethodView):
    @blp.response(200, schemas.EvaluationSchema)
    def get(self, drill_id):
        """The drill's evaluation as it stands, with its earlier versions (who recorded each, and when)"""
        return followup.get_evaluation(drill_id, session=request_session())

    @blp.arguments(schemas.EvaluationSchema)
    @blp.response(201, schemas.EvaluationSchema)
    @blp.alt_response(409, description="The drill is not completed, or was already evaluated")
    def post(self, data, drill_id):
        """Evaluate a completed drill against the five AQ/T 9009 criteria"""
        evaluation = followup.evaluate(drill_id, data, session=request_session(), actor=current_actor(), now=now())
        return created(evaluation, "followup.DrillEvaluation", drill_id=drill_id)

    @blp.arguments(schemas.EvaluationSchema(partial=True))
    @blp.response(200, schemas.EvaluationSchema)
    @blp.alt_response(409, description="Every corrective action of the drill's findings is verified")
    def patch(self, changes, drill_id):
        """Correct the evaluation while the drill's findings are open; what it said before is kept as a version"""
        evaluation = followup.get_evaluation(drill_id, session=request_session())
        # The drill's row guards its evaluation: correct_evaluation locks it, and so must the check, first.
        etags.require_current(evaluation, schemas.EvaluationSchema, guarded_by=evaluation.drill)
        return followup.correct_evaluation(drill_id, changes, session=request_session(), actor=current_actor(),
                                           now=now())


@blp.route("/drills/<uuid:drill_id>/findings")
class DrillFindings(MethodView):
    @blp.arguments(schemas.PageArgs, location="query")
    @blp.response(200, schemas.FindingPage)
    def get(self, query, drill_id):
        """The drill's findings, oldest first"""
        return followup.list_findings(drill_id, session=request_session(), **query)

    @blp.arguments(schemas.FindingSchema)
    @blp.response(201, schemas.FindingSchema)
    @blp.alt_response(409, description="The drill has not started")
    def post(self, data, drill_id):
        """Record a finding and its corrective action; one needing a plan revision flags the plan
        (`Location`: the drill's findings)"""
        finding = followup.record_finding(drill_id, data, session=request_session(), actor=current_actor(), now=now())
        return created(finding, "followup.DrillFindings", drill_id=drill_id)


@blp.route("/corrective-actions")
class CorrectiveActions(MethodView):
    @blp.arguments(schemas.CorrectiveActionQuery, location="query")
    @blp.response(200, schemas.CorrectiveActionPage)
    def get(self, query):
        """Corrective actions by due date; `overdue=true` keeps those still open past it"""
        return followup.list_actions(session=request_session(), today=today(), **query)


@blp.route("/corrective-actions/<uuid:action_id>")
@etags.tagged
class CorrectiveActionById(MethodView):
    @blp.response(200, schemas.CorrectiveActionSchema)
    def get(self, action_id):
        """One corrective action"""
        return followup.get_action(action_id, session=request_session())


@blp.route("/corrective-actions/<uuid:action_id>/complete")
class CompleteAction(MethodView):
    @blp.arguments(schemas.ActionCompleteSchema, required=False)
    @blp.response(200, schemas.CorrectiveActionSchema)
    @blp.alt_response(409, description="The action is not open")
    def post(self, data, action_id):
        """Report the action done"""
        return followup.complete_action(action_id, data or {}, session=request_session(), now=now())


@blp.route("/corrective-actions/<uuid:action_id>/verify")
class VerifyAction(MethodView):
    @blp.arguments(schemas.ActionVerifySchema)
    @blp.response(200, schemas.CorrectiveActionSchema)
    @blp.alt_response(409, description="The action is not done yet")
    def post(self, data, action_id):
        """Verify a done action in the follow-up check (回头看)"""
        return followup.verify_action(action_id, data, session=request_session(), now=now())
