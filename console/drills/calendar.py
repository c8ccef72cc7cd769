"""The drill calendar: a month of days (Monday first), each with its drills, and the calendar-feed panel."""
from __future__ import annotations

from babel.dates import format_skeleton
from flask import render_template, request
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from console import gateway_api
from console.drills import blp, choosers, feeds, local_time
from console.drills.month import Month, Placed, by_day
from console.drills.vocabulary import as_choices

WEEKDAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))
# A month holds a few dozen drills; past this many the calendar says some are left out (the list has them all).
MOST_DRILLS = 1000


@blp.get("/")
def calendar():
    return page()


def page(*, feed_form: feeds.FeedForm | None = None, status: int = 200):
    """The month of ?month=YYYY-MM (this month in ERDM_TIMEZONE by default), drills of ?plan_id= only if given."""
    today = local_time.today()
    month = Month.parse(request.args.get("month"), default=today)
    weeks = month.weeks()
    plan_id = choosers.id_arg("plan_id")
    # The API keeps drills whose window overlaps [from, to]: a drill begun the day before the grid shows too.
    drills = gateway_api.all_pages("/drills", limit=MOST_DRILLS, plan_id=plan_id,
                                   **{"from": weeks[0][0].isoformat(), "to": weeks[-1][-1].isoformat()})
    placed = [one for one in map(_placed, drills) if one is not None]
    plans = choosers.drilled_plans()
    plan_choices = choosers.plan_filter_choices(plans, everything=_("All plans"))
    form = feed_form or feeds.FeedForm(formdata=None)
    form.plan_id.choices = as_choices(plan_choices)
    return render_template(
        "drills/calendar.html", month=month, title=format_skeleton("yMMMM", month.first_day, locale=get_locale()),
        weeks=weeks, days=by_day(placed, weeks), today=today, weekdays=WEEKDAYS, plan_id=plan_id,
        plan_choices=plan_choices,
        left_out=len(drills) >= MOST_DRILLS, feed_form=form, feeds=feeds.listing().get("items", []),
        just_made=feeds.take_just_made(), plan_names=choosers.plan_names(plans),
        this_month=str(Month(today.year, today.month))), status


def _placed(drill: dict) -> Placed | None:
    """The drill with its window in local time; one without a start has no day to be drawn on."""
    starts = local_time.local(drill.get("scheduled_start"))
    if starts is None:
        return None
    return Placed(drill, starts, local_time.local(drill.get("scheduled_end")) or starts)
