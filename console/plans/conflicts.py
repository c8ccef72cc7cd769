"""The plans API's refusals in the page's language: a 409 names the step and the version's status in words, a
taken or frozen code sits on its field, the rules' validation messages are translated.

The service answers English sentences built around ids; the problem document also carries the facts
(`action`, `current_status`, `version`, `field`), so the page says them again from those facts.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from console import words
from console.gateway_api import Refused

# The service's `action` names, as the verb a person reads after "Cannot".
STEP_WORDS = {
    "submit": _l("submit for review"), "approve": _l("approve"), "retire": _l("retire"), "file": _l("file"),
    "revise": _l("open a revision"),
}

# Validation messages of the plans service's rules (services/plans/use_cases), known by words they contain.
RULE_MESSAGES = (
    ("Must not lie in the future.", _l("Must not lie in the future.")),
    ("Must not precede the approval", _l("Must not be earlier than the approval of the version in force.")),
    ("is listed twice", _l("This item is listed twice; give one line per item.")),
    ("organisation never changes", _l("A plan's organisation never changes.")),
)


def said(refusal: Refused) -> Refused:
    """`refusal` as the page shows it: the same status, its detail and field messages in the page's language.

    A conflict about one field (a taken code) becomes that field's message, so the form shows it beside it.
    """
    problem = dict(refusal.problem)
    if problem.get("errors"):
        problem["errors"] = _translated(problem["errors"])
    if refusal.status == 403:
        # A role that may not write plans, or an organisation outside the person's scope: the same answer to both.
        problem["detail"] = _("You may not do this: your role, or your organisation's scope, does not allow it.")
    elif refusal.status == 412:
        problem["detail"] = _("Someone changed this plan after you opened the form, so nothing was saved. "
                              "The form now works on the latest version: check it and save again.")
    elif refusal.status == 409 and problem.get("field"):
        problem["errors"] = {problem["field"]: [_field_conflict(problem)]}
        return Refused(422, problem)
    elif refusal.status == 409:
        problem["detail"] = _conflict(problem)
    return Refused(refusal.status, problem)


def _field_conflict(problem: dict) -> str:
    if "already exists" in str(problem.get("detail")):
        return _("Another plan already has this code.")
    return _("A plan's code cannot change once it has been approved: it is the code it was filed under.")


def _conflict(problem: dict) -> str:
    status = problem.get("current_status")
    version = problem.get("version")
    if problem.get("action") in STEP_WORDS and status:
        return _("Cannot %(step)s: version %(version)s is %(status)s.", step=STEP_WORDS[problem["action"]],
                 version=version or "—", status=words.label(status))
    if problem.get("draft_version"):
        return _("Version %(version)s is already open as a revision (%(status)s); approve it before opening "
                 "another.", version=problem["draft_version"], status=words.label(status))
    if status == "retired" and version is None:
        return _("The plan is retired; its required resources no longer change.")
    if status and version is not None:
        return _("Version %(version)s is %(status)s and can no longer change; open a revision to change the plan.",
                 version=version, status=words.label(status))
    return str(problem.get("detail") or problem.get("title") or _("The plans service refused the step."))


def _translated(errors):
    if isinstance(errors, dict):
        return {key: _translated(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_translated(message) for message in errors]
    if isinstance(errors, str):
        for words_in_it, message in RULE_MESSAGES:
            if words_in_it in errors:
                return str(message)
    return errors
