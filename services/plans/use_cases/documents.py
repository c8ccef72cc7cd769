"""What the plan's filing form (应急预案备案登记表) shows, read as the plan's own JSON reads are (scope included)."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from servicekit.documents import Document, organisation
from services.plans.models import OrgDirectory
from services.plans.use_cases import lifecycle, plans
from services.plans.use_cases.catalog import item_reference

FILING_FORM_TITLE = "应急预案备案登记表"
EVERY_FILING = 500  # more filings than one plan ever has; the form shows the latest of the version in force


def filing_form(plan_id: uuid.UUID, *, session: Session) -> Document:
    """The plan as in force (404 outside the caller's scope, like GET /plans/{id}), its organisation and head,
    the resources it requires by name, and the latest filing of this version (blank lines when not yet filed)."""
    plan = plans.get(plan_id, session=session)
    version = plans.get_version(plan.id, plan.version, session=session)
    filings = lifecycle.list_filings(plan.id, session=session, page=1, per_page=EVERY_FILING)["items"]
    filing = next((filing for filing in reversed(filings) if filing.version == plan.version), None)
    owner = organisation(session, OrgDirectory, plan.org_path)
    requirements = [{"item": item_reference(session, line.item_id) or {"code": str(line.item_id), "name": None},
                     "quantity": line.quantity} for line in version.requirements]
    return Document(template="filing_form.html", title=FILING_FORM_TITLE, organisation=owner.name,
                    filename=f"filing-form-{plan.code}-v{plan.version}.pdf",
                    context={"plan": plan, "version": version, "filing": filing, "owner": owner,
                             "requirements": requirements})
