"""The plan register: create, read, list and edit plans and the resources they require."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from contracts.catalogue import PLANS
from contracts.events import Line, PlanRequirementsChanged
from servicekit import outbox, owners, scope
from servicekit.errors import Conflict, InvalidInput, NotFound
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.signing import Actor
from servicekit.lookups import one
from services.plans.domain import cycles
from services.plans.domain.lifecycle import APPROVED, DRAFT, RETIRED, ensure_editable
from services.plans.models import OrgDirectory, Plan, PlanHazard, PlanVersion, Requirement
from services.plans.use_cases import activity, weather_warnings
from services.plans.use_cases.catalog import name_items

CONTENT_FIELDS = ("title", "type", "hazard_types", "owner_org", "owner", "summary", "response_levels")
LAST_VERSION_NUMBER = 2**31 - 1  # the column is a 32-bit integer; a larger number names no version


def get(plan_id: uuid.UUID, *, session: Session, for_update: bool = False) -> Plan:
    # for_update: one writer per plan at a time on PostgreSQL (SQLite writers are serial already)
    return one(session, Plan, plan_id, name="plan", for_update=for_update)


def get_version(plan_id: uuid.UUID, number: int, *, session: Session) -> PlanVersion:
    version = None
    if 1 <= number <= LAST_VERSION_NUMBER:
        version = session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id,
                                                           PlanVersion.number == number))
    if version is None:
        get(plan_id, session=session)  # 404 names the plan when it is the plan that is missing
        raise NotFound(f"Plan {plan_id} has no version {number}.")
    return version


def list_versions(plan_id: uuid.UUID, *, session: Session, page: int, per_page: int) -> dict[str, Any]:
    get(plan_id, session=session)
    query = select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number)
    return page_of(session, query, page=page, per_page=per_page)


def show_content(session: Session, plan: Plan, version: PlanVersion) -> None:
    """Make `version`'s content the one the register shows (the version in force, or the only draft)."""
    for name in CONTENT_FIELDS:
        setattr(plan, name, getattr(version, name))
    session.execute(delete(PlanHazard).where(PlanHazard.plan_id == plan.id))
    session.add_all(PlanHazard(plan_id=plan.id, hazard_type=hazard) for hazard in dict.fromkeys(version.hazard_types))


def _ensure_unique_code(session: Session, code: str, *, exclude: uuid.UUID | None = None) -> None:
    # System-wide on purpose: codes are unique across every organisation (the table's constraint), and saying
    # a code is taken is all this tells of a plan outside the caller's scope.
    query = select(Plan.id).where(Plan.code == code).execution_options(**scope.ALL_SCOPES)
    if exclude is not None:
        query = query.where(Plan.id != exclude)
    if session.scalar(query) is not None:
        raise Conflict(f"A plan with code {code!r} already exists.", field="code")


def create(data: Mapping[str, Any], *, session: Session, actor: Actor) -> Plan:
    """Version 1 as a draft, for the caller's organisation unless `org_id`/`org_code` names another in its
    scope (403 outside it; 422 for one the directory copy does not know yet)."""
    org_id, org_path = owners.owner_for_new(data, session=session, actor=actor, directory=OrgDirectory,
                                            record="a plan")
    _ensure_unique_code(session, data["code"])
    content = {name: data.get(name) for name in CONTENT_FIELDS}
    content["hazard_types"] = list(content["hazard_types"] or [])
    content["response_levels"] = list(content["response_levels"] or [])
    plan = Plan(id=uuid.uuid4(), code=data["code"], status=DRAFT, version=1, org_id=org_id, org_path=org_path,
                **activity.written_by(actor), **content)
    session.add(plan)
    session.flush()
    first = PlanVersion(plan_id=plan.id, number=1, status=DRAFT, **activity.written_by(actor), **content)
    session.add(first)
    show_content(session, plan, first)
    activity.record(session, plan, "created", actor=actor, version=1)
    session.flush()
    return plan


def working_version(session: Session, plan: Plan) -> PlanVersion:
    """The version actions and edits apply to: the open revision if there is one, else the current version."""
    return get_version(plan.id, plan.draft_version or plan.version, session=session)


def update(plan_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session, actor: Actor) -> Plan:
    plan = get(plan_id, session=session, for_update=True)
    for field in ("org_id", "org_code"):
        if field in changes:
            # Its versions, filings, activity and drills carry the organisation too; moving them is not a PATCH.
            raise InvalidInput({field: ["A plan's organisation never changes; register a new plan instead."]})
    version = working_version(session, plan)
    ensure_editable(version.status, version=version.number)
    if "code" in changes and changes["code"] != plan.code:
        if plan.first_approved_at is not None:
            raise Conflict("A plan's code cannot change once it has been approved; it is how the plan was filed.",
                           field="code")
        _ensure_unique_code(session, changes["code"], exclude=plan.id)
        plan.code = changes["code"]
    for name in CONTENT_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(version, name, list(value or []) if name in ("hazard_types", "response_levels") else value)
    version.updated_by, version.updated_by_name = actor.id, actor.name
    if version.number == plan.version and plan.status != APPROVED:
        show_content(session, plan, version)  # never approved: the draft is what the register shows
    activity.record(session, plan, "edited", actor=actor, version=version.number, detail={"fields": sorted(changes)})
    session.flush()
    return plan


def set_requirements(plan_id: uuid.UUID, lines: Sequence[Mapping[str, Any]], *, session: Session,
                     actor: Actor) -> Plan:
    """Replace what the version being worked on requires: the open revision's draft, or a version not yet
    approved. An approved version's requirements are part of its signed record: 409, open a revision."""
    plan = get(plan_id, session=session, for_update=True)
    if plan.status == RETIRED:
        raise Conflict("The plan is retired; its requirements no longer change.", current_status=plan.status)
    version = working_version(session, plan)
    ensure_editable(version.status, version=version.number)
    seen: dict[uuid.UUID, int] = {}
    for index, line in enumerate(lines):
        if line["item_id"] in seen:
            raise InvalidInput({"lines": [f"Item {line['item_id']} is listed twice (lines {seen[line['item_id']]} "
                                          f"and {index}); give one line per item."]})
        seen[line["item_id"]] = index
    version.requirements = [Requirement(item_id=line["item_id"], quantity=line["quantity"], position=index)
                            for index, line in enumerate(lines)]
    version.updated_by = actor.id
    activity.record(session, plan, "requirements_set", actor=actor, version=version.number,
                    detail={"lines": len(lines)})
    session.flush()
    if version.number == plan.version:  # never approved: these are the requirements the plan shows
        session.expire(plan, ["requirements"])
        outbox.add(session, new_event(PlanRequirementsChanged(
            plan_id=plan.id, code=plan.code, lines=requirement_lines(version.requirements), org_id=plan.org_id),
            source=PLANS))
    return plan


def requirement_lines(requirements: Iterable[Requirement]) -> list[Line]:
    return [Line(item_id=line.item_id, quantity=line.quantity) for line in requirements]


def required_quantities(version: PlanVersion) -> dict[uuid.UUID, Any]:
    """item -> quantity: what a version requires, whatever order its lines were listed in."""
    return {line.item_id: line.quantity for line in version.requirements}


def compliance_clause(compliance: str, today: dt.date):
    """The SQL form of domain.cycles.compliance (drill and evaluation), for `?compliance=`."""
    soon = today + dt.timedelta(days=cycles.DUE_SOON_DAYS)

    def any_due(compare):
        return or_(compare(Plan.next_drill_due), compare(Plan.evaluation_due))

    overdue = and_(Plan.status == APPROVED, any_due(lambda column: and_(column.is_not(None), column < today)))
    soon_due = and_(Plan.status == APPROVED, any_due(lambda column: and_(column.is_not(None), column <= soon)))
    if compliance == cycles.OVERDUE:
        return overdue
    if compliance == cycles.DUE_SOON:
        return and_(soon_due, ~overdue)
    return ~soon_due


def filing_overdue_clause(today: dt.date):
    """The SQL form of domain.cycles.filing_overdue, for `?filing_overdue=true`."""
    return and_(Plan.status == APPROVED, Plan.filed_at.is_(None), Plan.filing_due.is_not(None),
                Plan.filing_due < today)


def list_plans(*, session: Session, today: dt.date, type: str | None = None, status: str | None = None,
               owner_org: str | None = None, hazard: str | None = None, compliance: str | None = None,
               filing_overdue: bool | None = None, q: str | None = None, activated_by: uuid.UUID | None = None,
               actor: Actor | None = None, page: int, per_page: int) -> dict[str, Any]:
    """The register by code, every filter given applied together; `activated_by` (a warning's id) narrows it to
    the plans that warning opens, as `actor` may see the warning (use_cases/weather_warnings.py)."""
    query = select(Plan).order_by(Plan.code)
    if activated_by is not None:
        query = query.where(weather_warnings.activated_by(activated_by, session=session, actor=actor))
    if type:
        query = query.where(Plan.type == type)
    if status:
        query = query.where(Plan.status == status)
    if owner_org:
        query = query.where(Plan.owner_org == owner_org)
    if hazard:
        query = query.where(exists().where(PlanHazard.plan_id == Plan.id, PlanHazard.hazard_type == hazard))
    if compliance:
        query = query.where(compliance_clause(compliance, today))
    if filing_overdue is not None:
        late = filing_overdue_clause(today)
        query = query.where(late if filing_overdue else ~late)
    if q:
        query = query.where(Plan.code.icontains(q, autoescape=True) | Plan.title.icontains(q, autoescape=True))
    result = page_of(session, query, page=page, per_page=per_page)
    name_items(session, (line.item_id for plan in result["items"] for line in plan.requirements))
    return result
