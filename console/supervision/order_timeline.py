"""What happened to a rectification order, in the order it happened: issued, signed for, reported done, each
review (a failed one with its new due date), closed (销号)."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from console.filters import day, when
from console.words import label


def _moment(value: str | None) -> dt.datetime:
    # Every moment the API answers carries its offset; they sort as instants.
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def timeline(order: dict) -> list[dict]:
    """Each step as {what, when, who, said, tone}: `said` the lines worth reading under it."""
    first_due = _first_due_date(order)
    steps = [{"what": _("Issued"), "at": order.get("issued_at"), "who": order.get("issued_by"), "tone": "warn",
              "said": [_("Rectify by %(day)s", day=day(first_due)) if first_due else None]}]
    if order.get("acknowledged_at"):
        steps.append({"what": _("Signed for"), "at": order["acknowledged_at"], "tone": "info",
                      "who": _("%(name)s (%(position)s)", name=order.get("signed_by") or "—",
                               position=label(order.get("signed_position"))), "said": []})
    if order.get("reported_at"):
        steps.append({"what": _("Reported done"), "at": order["reported_at"], "who": None, "tone": "info",
                      "said": [_("Completed on %(day)s", day=day(order.get("completed_at"))),
                               order.get("measures")]})
    for review in order.get("reviews") or []:
        failed = review.get("result") == "failed"
        steps.append({"what": _("Review failed") if failed else _("Review passed"), "at": review.get("reviewed_at"),
                      "who": review.get("reviewer"), "tone": "bad" if failed else "ok",
                      "said": [review.get("note"),
                               _("New due date %(day)s", day=day(review.get("new_due_date"))) if failed else None]})
    if order.get("closed_at"):
        steps.append({"what": _("Closed (销号)"), "at": order["closed_at"], "who": order.get("closed_by"),
                      "tone": "ok", "said": []})
    steps.sort(key=lambda step: _moment(step["at"]))
    return [{**step, "when": when(step["at"], "short"), "said": [line for line in step["said"] if line]}
            for step in steps]


def _first_due_date(order: dict) -> str | None:
    """The due date the order was issued with: a failed review moves `due_date` on and names the one before it
    (None when it does not)."""
    failed = [review for review in order.get("reviews") or [] if review.get("result") == "failed"]
    return failed[0].get("previous_due_date") if failed else order.get("due_date")
