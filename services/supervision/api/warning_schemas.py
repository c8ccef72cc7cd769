"""Bodies and answers of severe-weather warnings (预警): the warning issued, each target's answer, the close."""
from __future__ import annotations

from marshmallow import fields, validate

from servicekit.references import ActorReference
from servicekit.schemas import Instant, PageArgs, Schema, Text, page_schema
from services.supervision.domain import warnings as rules
from services.supervision.use_cases.directory import org_reference

MAX_DISTRICTS = 50
NOTE_LENGTH = 2000
MAX_EVACUATED = 1_000_000
MAX_RAINFALL_MM = 5_000  # well above any day's rain ever measured (about 1,800 mm)


class WarningRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS), metadata={
        "description": "rainstorm 暴雨, snowstorm 暴雪, freezing 冰冻, typhoon 台风, flood 洪水, geological 地质灾害, "
                       "heat 高温, other"})
    level = fields.String(required=True, validate=validate.OneOf(rules.LEVELS), metadata={
        "description": "blue 蓝色, yellow 黄色, orange 橙色, red 红色"})
    districts = fields.List(Text(100), required=True, validate=validate.Length(min=1, max=MAX_DISTRICTS), metadata={
        "description": "the districts it covers, as the organisations' `district` names them"})
    industries = fields.List(fields.String(validate=validate.OneOf(rules.INDUSTRIES)), required=True,
                             validate=validate.Length(max=len(rules.INDUSTRIES)), metadata={
        "description": "the industries it concerns; an empty list concerns every industry"})
    valid_from = Instant(required=True)
    valid_to = Instant(required=True, end_of_day=True, metadata={
        "description": "after valid_from and not yet past; a plain date means the end of that day"})
    issued_by = Text(200, required=True, metadata={"description": "the duty officer who issues it"})
    directive = fields.String(required=True, validate=validate.OneOf(rules.DIRECTIVES), metadata={
        "description": "stop_and_evacuate 停产撤人, heightened_watch 加强值守, other"})
    message = Text(4000, required=True)
    ack_within_minutes = fields.Integer(load_default=rules.DEFAULT_ACK_MINUTES, strict=True,
                                        validate=validate.Range(min=1, max=rules.MAX_ACK_MINUTES), metadata={
        "description": f"how long each target has to acknowledge; default {rules.DEFAULT_ACK_MINUTES}"})


class AcknowledgeSchema(Schema):
    by = Text(200, required=True, metadata={"description": "who answered for the enterprise (叫应)"})


class ReportSchema(Schema):
    stopped_at = Instant(allow_none=True, metadata={"description": "when production stopped; never in the future"})
    evacuated_count = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0, max=MAX_EVACUATED),
                                     metadata={"description": "people evacuated"})
    rainfall_mm = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=MAX_RAINFALL_MM),
                               metadata={"description": "rainfall measured on site, in millimetres"})
    note = fields.String(allow_none=True, validate=validate.Length(max=NOTE_LENGTH))


class ResumeSchema(Schema):
    resumed_at = Instant(required=True, metadata={
        "description": "when production resumed; never in the future, nor before stopped_at"})


class CloseSchema(Schema):
    summary = Text(4000, required=True, metadata={"description": "what the warning came to (总结)"})


class WarningQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(rules.WARNING_STATUSES))
    kind = fields.String(validate=validate.OneOf(rules.KINDS))
    level = fields.String(validate=validate.OneOf(rules.LEVELS))


def _target_org(target) -> dict:
    """The enterprise as the directory named it when the warning went out."""
    return {"id": str(target.org_id), "code": target.org_code, "name": target.org_name}


class TargetSchema(Schema):
    org_id = fields.UUID()
    org = fields.Function(_target_org, metadata={"description": "{id, code, name} as named when it was sent"})
    status = fields.String(metadata={"description": ", ".join(rules.TARGET_STATUSES)})
    sent_at = fields.DateTime()
    ack_due_at = fields.DateTime(metadata={"description": "sent_at + the warning's ack_within_minutes"})
    ack_overdue = fields.Boolean(metadata={
        "description": "not acknowledged and past ack_due_at (computed; for a closed warning, as it stood at the close)"})
    acknowledged_late = fields.Boolean(metadata={"description": "acknowledged, but after ack_due_at"})
    acknowledged_by = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    stopped_at = fields.DateTime(allow_none=True)
    evacuated_count = fields.Integer(allow_none=True)
    rainfall_mm = fields.Float(allow_none=True)
    note = fields.String(attribute="report_note", allow_none=True, metadata={"description": "the report's note"})
    reported_at = fields.DateTime(allow_none=True)
    resumed_at = fields.DateTime(allow_none=True)


class CountsSchema(Schema):
    sent = fields.Integer()
    acknowledged = fields.Integer()
    reported = fields.Integer()
    resumed = fields.Integer()


class SilentTargetSchema(Schema):
    org_id = fields.UUID()
    code = fields.String()
    name = fields.String()


class WarningSchema(Schema):
    id = fields.UUID()
    code = fields.String(metadata={"description": "what people read and say: YJ-<day>-<6 characters>"})
    org_id = fields.UUID(allow_none=True, metadata={"description": "the issuing bureau"})
    org = fields.Function(org_reference, metadata={"description": "the issuing bureau: {id, code, name}"})
    kind = fields.String()
    level = fields.String()
    districts = fields.List(fields.String())
    industries = fields.List(fields.String(), metadata={"description": "empty: every industry"})
    valid_from = fields.DateTime()
    valid_to = fields.DateTime()
    issued_by = fields.String()
    directive = fields.String()
    message = fields.String()
    ack_within_minutes = fields.Integer()
    status = fields.String(metadata={"description": ", ".join(rules.WARNING_STATUSES)})
    summary = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    created_by = ActorReference("actor_id", "actor_name")
    created_at = fields.DateTime()
    counts = fields.Nested(CountsSchema, metadata={
        "description": "the targets you see, each under its current status"})
    not_acknowledged = fields.List(fields.Nested(SilentTargetSchema), metadata={
        "description": "the targets you see that have not acknowledged"})
    targets = fields.List(fields.Nested(TargetSchema), metadata={
        "description": "the enterprises it reached that lie within your scope, by code"})


WarningPage = page_schema(WarningSchema, "WarningPage")
