"""`GET /feeds/<token>.ics`: a calendar feed fetched by its secret URL alone, answered with the drill calendar its
creator may see as of now.

Outlook, Google and Apple Calendar send no Authorization header, so the token in the path is the credential:
the app lets this path through its authentication (gateway/app.py), and this view does the same job for it. It
lies outside /api/v1 and the roles table on purpose: the creator's role and scope decide what the drills service
answers, and every role may read drills. An unknown token counts toward the address's failed authentications
(gateway/throttle.py); a revoked feed, or a creator that can no longer act, answers the same 404.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g
from sqlalchemy import exc as sa_exc

from contracts.catalogue import DRILLS
from gateway.client_address import client_address
from gateway import auth, current, feeds, refusals
from gateway.routes import enabled_services
from servicekit.problems import problem

log = logging.getLogger("erdm.gateway")

blp = Blueprint("feed_ics", __name__)

CALENDAR_PATH = "/api/v1/drills/calendar.ics"
CALENDAR_TYPE = "text/calendar; charset=utf-8"
# Calendar clients poll (Google every few hours, Outlook and Apple as often as each user sets): five minutes
# of the client's own copy costs a feed little freshness, and "private" keeps it out of shared caches.
CACHE_CONTROL = "private, max-age=300"


def _not_found() -> Response:
    # The same words whatever the reason, so a URL reveals nothing about why it no longer works.
    return problem(404, "no calendar feed at this URL: it is unknown or was revoked")


@blp.get("/feeds/<token>.ics")
def calendar_feed(token: str) -> Response:
    """The drills the feed's creator may see, as iCalendar."""
    failures = current_app.extensions["erdm_auth_failures"]
    address = client_address()
    # A throttled address learns nothing about any token it sends, a right one included.
    if (wait := failures.retry_after(address)) is not None:
        return refusals.guessing_refused(failures.describe(), wait)
    settings = current_app.extensions["erdm_settings"]
    database = current.database()
    if len(token) > auth.MAX_TOKEN_LENGTH:
        return _guessed(failures, address)
    try:
        with database.session(readonly=True) as session:
            known, feed = feeds.find(token, session=session)
            admin = (lambda: auth.bootstrap_admin(database)) if settings.admin_key else None
            actor = feeds.creator_now(feed, session=session, bootstrap_admin=admin) if feed else None
    except sa_exc.SQLAlchemyError:
        log.exception("the key store could not be read")
        return problem(503, "the gateway's key store is unavailable; retry shortly", headers={"Retry-After": "1"})
    if not known:
        return _guessed(failures, address)
    # A token that was a feed's is no guess: a calendar still polling a revoked feed is not counted, since a
    # fetcher such as Google's polls many people's feeds from one address.
    if actor is None:
        return _not_found()
    g.actor, g.actor_kind, g.service = actor, feed.creator_kind, DRILLS  # the access log line names them
    if DRILLS not in enabled_services(settings):
        return problem(503, f"{DRILLS} service is not deployed", service=DRILLS)
    target = CALENDAR_PATH + (f"?{urlencode({'plan_id': str(feed.plan_id)})}" if feed.plan_id else "")
    answer = current_app.extensions["erdm_upstream"].forward(
        DRILLS, method="GET", target=target, headers={"Accept": "text/calendar"}, body=b"", actor=actor,
        request_id=g.request_id)
    if answer.status_code == 200:
        answer.headers["Content-Type"] = CALENDAR_TYPE
        answer.headers["Cache-Control"] = CACHE_CONTROL
    return answer


def _guessed(failures, address: str) -> Response:
    """An unknown token: a failed authentication of the address, 429 once past the limit, else 404."""
    if (wait := failures.count_failure(address)) is not None:
        return refusals.guessing_refused(failures.describe(), wait)
    return _not_found()
