"""What a drill's record and evaluation report (演练记录与评估报告) shows, read as the drill's own JSON reads are."""
from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Iterable, Mapping

from sqlalchemy.orm import Session

from servicekit.documents import Document, organisation
from services.drills.domain.evaluation import CRITERIA, average_score
from services.drills.models import OrgDirectory
from services.drills.use_cases import drills, followup
from services.drills.use_cases.catalog import item_reference, plan_reference

REPORT_TITLE = "演练记录与评估报告"
EVERY_FINDING = 500  # more findings than one drill ever has


def resource_lines(session: Session, requested: Iterable[Mapping[str, Any]] | None,
                   consumed: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """One line per item the drill asked for or used (stored lines: {item_id, quantity as text}): the item's code,
    name and unit from the catalog copy, what was reserved and what was consumed (None: not recorded)."""
    lines: dict[str, dict[str, Any]] = {}
    for key, stored in (("requested", requested), ("consumed", consumed)):
        for line in stored or ():
            item_id = str(line["item_id"])
            entry = lines.setdefault(item_id, {"item": item_reference(session, uuid.UUID(item_id))
                                               or {"code": item_id, "name": None, "unit": None},
                                               "requested": None, "consumed": None})
            entry[key] = Decimal(str(line["quantity"]))
    return list(lines.values())


def drill_report(drill_id: uuid.UUID, *, session: Session) -> Document:
    """The drill (404 outside the caller's scope, like GET /drills/{id}), its plan and organisation by name, the
    resources asked for and used, the evaluation's scores and rating, each finding with its corrective action."""
    drill = drills.get(drill_id, session=session)
    findings = followup.list_findings(drill.id, session=session, page=1, per_page=EVERY_FINDING)["items"]
    evaluation = drill.evaluation
    owner = organisation(session, OrgDirectory, drill.org_path)
    return Document(
        template="drill_report.html", title=REPORT_TITLE, organisation=owner.name,
        filename=f"drill-report-{drill.id.hex[:8]}.pdf",
        context={"drill": drill, "owner": owner, "plan": plan_reference(session, drill.plan_id),
                 "resources": resource_lines(session, drill.resources, drill.consumed),
                 "evaluation": evaluation, "criteria": CRITERIA,
                 "average": average_score(evaluation.scores) if evaluation else None, "findings": findings})
