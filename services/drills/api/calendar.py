"""The drill calendar as an iCalendar feed a calendar client can subscribe to."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from servicekit.openapi import TEXT, file_answer
from services.drills.api import schemas
from services.drills.api.context import now, request_session
from services.drills.use_cases.calendar import calendar_feed

blp = Blueprint("calendar", __name__, url_prefix="/api/v1", description="The drill calendar (iCalendar)")


@blp.route("/drills/calendar.ics")
class DrillCalendar(MethodView):
    @blp.arguments(schemas.CalendarQuery, location="query")
    @blp.doc(responses=file_answer("RFC 5545; each drill's UID is stable, so clients update rather than duplicate",
                                   {"text/calendar": TEXT}))
    def get(self, query):
        """Drills ending within the last year or later (earlier with `from`); cancelled ones stay, marked CANCELLED"""
        body = calendar_feed(session=request_session(), now=now(), plan_id=query.get("plan_id"),
                             since=query.get("from_"), include_cancelled=query["include_cancelled"])
        return Response(body, mimetype="text/calendar", headers={
            "Content-Disposition": 'inline; filename="erdm-drills.ics"'})
