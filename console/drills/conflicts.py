"""A 409 from the drills API said in the page's language, with statuses and items named in words: never the raw
detail, which is English and may carry a bare id."""
from __future__ import annotations

from flask_babel import gettext as _

from console import words
from console.filters import named, quantity
from console.gateway_api import Refused


def explained(refusal: Refused, *, otherwise: str | None = None) -> Refused:
    """`refusal` with its detail said for a person. A 409 of a known shape is explained from its fields; any
    other 409 says `otherwise` (the page knows what was refused) when given. Other statuses are left as they are."""
    if refusal.status != 409:
        return refusal
    return Refused(409, {**refusal.problem, "detail": _sentence(refusal.problem) or otherwise or refusal.detail})


def _sentence(problem: dict) -> str | None:
    if problem.get("action") and problem.get("current_status"):
        allowed = "、".join(words.label(status) for status in problem.get("allowed_from") or [])
        return _("This cannot be done while the status is %(status)s; it can be done only when %(allowed)s.",
                 status=words.label(problem["current_status"]), allowed=allowed or "—")
    if problem.get("field") in ("plan_id", "plan_code"):
        return _("Only an approved plan can be drilled: the plan chosen is not approved (it may have been "
                 "retired, or sent back for revision, meanwhile).")
    if problem.get("excess"):
        lines = "; ".join(_("%(item)s: %(consumed)s used, %(reserved)s reserved",
                            item=named(line.get("item")) if (line.get("item") or {}).get("code") else _("an item"),
                            consumed=quantity(line.get("consumed")), reserved=quantity(line.get("reserved")))
                          for line in problem["excess"])
        return _("More was used than the drill reserved (%(lines)s).", lines=lines)
    if "reservation_status" in problem:
        return _("The drill's hold on its resources was released, so nothing can be taken from it: record what "
                 "was used as a stock issue, and complete the drill without used quantities.")
    return None
