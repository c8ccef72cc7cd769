"""The plans API's request and response bodies."""
from __future__ import annotations

from marshmallow import fields, validate

from servicekit.references import ActorReference, Reference, id_or_code
from servicekit.schemas import Day, Instant, PageArgs, Quantity, Schema, Text, Whole, page_schema
from services.plans.use_cases.catalog import item_id_for_code, item_reference
from services.plans.use_cases.directory import org_reference
from services.plans.domain.cycles import DUE_SOON, OK, OVERDUE
from services.plans.domain.lifecycle import PLAN_STATUSES, REVISION_REASONS, VERSION_STATUSES
from services.plans.use_cases.schedule import compliance_of, filing_overdue_of

PLAN_TYPES = ("comprehensive", "special", "onsite")
COMPLIANCE = (OK, DUE_SOON, OVERDUE)

class ResponseLevelSchema(Schema):
    """One level of the plan's graded response (分级响应), e.g. I–IV, with what starts it and what it sets off."""

    level = Text(20, required=True, metadata={"description": "e.g. I, II, III, IV"})
    name = fields.String(validate=validate.Length(max=200), allow_none=True)
    criteria = fields.String(validate=validate.Length(max=5000), allow_none=True)
    actions = fields.String(validate=validate.Length(max=5000), allow_none=True)


class ContentSchema(Schema):
    """What a version of a plan says (frozen once approved)."""

    title = Text(300, required=True)
    type = fields.String(required=True, validate=validate.OneOf(PLAN_TYPES),
                         metadata={"description": "comprehensive 综合应急预案, special 专项应急预案, onsite 现场处置方案"})
    hazard_types = fields.List(Text(100), load_default=list, validate=validate.Length(max=50))
    owner_org = Text(200, required=True)
    owner = Text(200, required=True)
    summary = fields.String(validate=validate.Length(max=20000), allow_none=True)
    response_levels = fields.List(Whole(ResponseLevelSchema), load_default=list,
                                  validate=validate.Length(max=10))


def ItemRef():  # noqa: N802 - it stands where a field class would
    """`{id, code, name, unit}` of the item beside its id, from the catalog copy (null names while unknown)."""
    return Reference("item_id", item_reference, item=True)


class RequirementLineSchema(Schema):
    # A code is resolved through the catalog copy: an item it has not heard of yet is 422 naming item_code.
    item_id, item_code = id_or_code("item", item_id_for_code)
    item = ItemRef()
    quantity = Quantity(required=True)


class RequirementsSchema(Schema):
    lines = fields.List(fields.Nested(RequirementLineSchema), required=True, validate=validate.Length(max=500))


class PlanSchema(ContentSchema):
    id = fields.UUID(dump_only=True)
    code = Text(64, required=True)
    org_id = fields.UUID(allow_none=True, metadata={"description": "the owning organisation; on create, the "
                                                                  "caller's unless given (within its scope)"})
    org_code = fields.String(load_only=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "the owning organisation by its code, instead of org_id"})
    org = fields.Function(org_reference, dump_only=True, metadata={
        "description": "{id, code, name} of the owner; name null while the directory copy does not know it"})
    org_path = fields.String(dump_only=True, metadata={
        "description": "the owner's place in the tree (codes from the root): its drills are served from below it"})
    status = fields.String(dump_only=True, metadata={"description": "of the version in force: " + ", ".join(PLAN_STATUSES)})
    version = fields.Integer(dump_only=True, metadata={"description": "the version in force (or the only draft)"})
    draft_version = fields.Integer(dump_only=True, allow_none=True,
                                   metadata={"description": "the open revision, while there is one"})
    approved_at = Instant(dump_only=True, allow_none=True)
    approved_by = fields.String(dump_only=True, allow_none=True)
    retired_at = Instant(dump_only=True, allow_none=True)
    last_drilled_at = Instant(dump_only=True, allow_none=True)
    next_drill_due = Day(dump_only=True, allow_none=True)
    evaluation_due = Day(dump_only=True, allow_none=True)
    filing_due = Day(dump_only=True, allow_none=True)
    filed_at = Instant(dump_only=True, allow_none=True)
    needs_revision = fields.Boolean(dump_only=True)
    compliance = fields.Function(compliance_of, dump_only=True,
                                 metadata={"description": "of the drill and evaluation dates: ok, due_soon (within "
                                                          "30 days) or overdue", "enum": list(COMPLIANCE)})
    filing_overdue = fields.Function(filing_overdue_of, dump_only=True,
                                     metadata={"description": "the version in force is unfiled past `filing_due`"})
    requirements = fields.List(fields.Nested(RequirementLineSchema), dump_only=True,
                               metadata={"description": "what the version in force (or the only draft) requires; "
                                                        "an open revision's are on its version"})
    created_at = Instant(dump_only=True)
    created_by = ActorReference("created_by", "created_by_name")
    updated_at = Instant(dump_only=True)
    updated_by = ActorReference("updated_by", "updated_by_name")


PlanPage = page_schema(PlanSchema, "PlanPage")


class PlanQuery(PageArgs):
    type = fields.String(validate=validate.OneOf(PLAN_TYPES))
    status = fields.String(validate=validate.OneOf(PLAN_STATUSES))
    owner_org = fields.String()
    hazard = fields.String(metadata={"description": "plans naming this hazard type"})
    compliance = fields.String(validate=validate.OneOf(COMPLIANCE), metadata={"description": "drill or evaluation"})
    filing_overdue = fields.Boolean(metadata={"description": "plans unfiled past `filing_due` (true) or not (false)"})
    q = fields.String(metadata={"description": "part of the code or title"})
    activated_by = fields.UUID(metadata={"description": (
        "a severe-weather warning's id: the approved special plans its kind opens (by hazard type), of its "
        "issuer, its targets and the organisations between; 404 until warning.issued has been heard")})


class VersionSchema(ContentSchema):
    plan_id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True, attribute="number")
    status = fields.String(dump_only=True, metadata={"enum": list(VERSION_STATUSES)})
    reason = fields.String(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True, allow_none=True)
    finding_id = fields.UUID(dump_only=True, allow_none=True)
    requirements = fields.List(fields.Nested(RequirementLineSchema), dump_only=True,
                               metadata={"description": "what this version requires on hand (frozen once approved)"})
    created_at = Instant(dump_only=True)
    created_by = ActorReference("created_by", "created_by_name")
    updated_at = Instant(dump_only=True)
    updated_by = ActorReference("updated_by", "updated_by_name")
    submitted_at = Instant(dump_only=True, allow_none=True)
    submitted_by = ActorReference("submitted_by", "submitted_by_name")
    approved_at = Instant(dump_only=True, allow_none=True)
    approved_by = fields.String(dump_only=True, allow_none=True,
                                metadata={"description": "the head of unit who signed, as given"})
    approval_recorded_by = ActorReference("approval_recorded_by", "approval_recorded_by_name")
    closed_at = Instant(dump_only=True, allow_none=True,
                                metadata={"description": "when it was superseded, retired or withdrawn"})


VersionPage = page_schema(VersionSchema, "VersionPage")


class ApprovalSchema(Schema):
    approved_by = Text(200, required=True, metadata={"description": "the head of unit who signs (签发)"})
    approved_at = Instant(metadata={"description": "default now; may lie in the past, never the future"})


class RetirementSchema(Schema):
    reason = fields.String(validate=validate.Length(max=2000), allow_none=True)


class RevisionSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(REVISION_REASONS),
                           metadata={"description": "the six triggers of art. 36"})
    note = fields.String(validate=validate.Length(max=5000), allow_none=True)
    finding_id = fields.UUID(allow_none=True, metadata={"description": "the drill finding behind it, if any"})


class FilingSchema(Schema):
    id = fields.UUID(dump_only=True)
    plan_id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True)
    authority = Text(200, required=True)
    filed_at = Instant(required=True)
    reference_no = Text(100, required=True)
    recorded_at = Instant(dump_only=True)
    recorded_by = ActorReference("recorded_by", "recorded_by_name")


FilingPage = page_schema(FilingSchema, "FilingPage")


class ReadinessLineSchema(Schema):
    item_id = fields.UUID()
    item = ItemRef()
    required = Quantity()
    available = Quantity(allow_zero=True)
    shortfall = Quantity(allow_zero=True)


class ReadinessSchema(Schema):
    plan_id = fields.UUID()
    ready = fields.Boolean()
    lines = fields.List(fields.Nested(ReadinessLineSchema))


class ActivitySchema(Schema):
    version = fields.Integer(allow_none=True)
    action = fields.String()
    actor_id = fields.String()
    actor_name = fields.String()
    actor = ActorReference("actor_id", "actor_name")
    request_id = fields.String(allow_none=True)
    occurred_at = Instant()
    detail = fields.Dict(allow_none=True)


class ActivityListSchema(Schema):
    items = fields.List(fields.Nested(ActivitySchema))
