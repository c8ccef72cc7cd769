"""Who may do what: the one table of role × area × read/write that every /api/v1 call is checked against."""
from __future__ import annotations

from typing import NamedTuple

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Columns are the areas the routes fall in (the catalogue's for the services' paths, gateway/routes.py's
# for the gateway's own): "stock" is the resources service's paths but the classification tree,
# "categories" that tree, "plan" the plans service's, "drill" the drills service's.
# "rw" reads and writes, "r" reads (GET/HEAD/OPTIONS), "-" nothing. A role, an area or a
# method missing here is refused: new paths are closed until someone writes their rule.
# "orgs" is the organisation directory, "me" the caller's own identity, "users" the people who sign in,
# "sessions" signing out (signing in, `POST /api/v1/sessions`, comes before anyone has a role: gateway/app.py),
# "feeds" each caller's own calendar feeds. A feed's URL itself (`/feeds/<token>.ics`) is not in this table: it is
# outside /api/v1, fetched with no header, and answers what its creator's role and scope reach (gateway/feed_ics.py).
AREAS = ("stock", "categories", "plan", "drill", "keys", "docs", "readiness", "orgs", "me", "users", "sessions",
         "feeds", "oversight", "answer", "webhooks", "attachments")
# "oversight" is the supervision service's paths, the bureau's records: hazards, rectification orders, look-backs
# and warnings, which inspectors write (an area is never named as its service is: the gateway names no service).
# "answer" is the enterprise's steps on them (acknowledge, report, resume an order or a warning target): its own
# logistics and planner people take them for their own organisation (the service checks whose record it is).
# "webhooks" is the subscriptions of integrators' URLs to events: admins only, as keys are (a webhook is a standing
# read of everything its scope emits).
# "attachments" is an attachment's content (`/attachments/{id}/content`): read by every role that reads the records
# (each service answers only for a record in the caller's scope); files are added on the record's own path, in its
# area (a plan's or drill's by planners, an order's in "answer").
TABLE: dict[str, tuple[str, ...]] = {
    #             stock  categories  plan  drill  keys  docs  readiness  orgs  me   users sessions feeds oversi answer hooks attach
    "admin":     ("rw",  "rw",       "rw", "rw",  "rw", "r",  "r",       "rw", "r", "rw", "rw", "rw", "rw", "rw", "rw", "r"),
    "logistics": ("rw",  "r",        "r",  "r",   "-",  "r",  "r",       "r",  "r", "r",  "rw", "rw", "r",  "rw", "-",  "r"),
    "planner":   ("r",   "r",        "rw", "rw",  "-",  "r",  "r",       "r",  "r", "r",  "rw", "rw", "r",  "rw", "-",  "r"),
    "inspector": ("r",   "r",        "r",  "r",   "-",  "r",  "r",       "r",  "r", "r",  "rw", "rw", "rw", "rw", "-",  "r"),
    "viewer":    ("r",   "r",        "r",  "r",   "-",  "r",  "r",       "r",  "r", "r",  "rw", "rw", "r",  "r",  "-",  "r"),
}

ROLES: tuple[str, ...] = tuple(TABLE)


class Decision(NamedTuple):
    allowed: bool
    required: tuple[str, ...]  # the roles that would be allowed; empty when no role is


def access(method: str) -> str:
    """"r" for a method that only reads, "w" for one that may change something."""
    return "r" if method.upper() in READ_METHODS else "w"


def roles_allowed(area: str, method: str) -> tuple[str, ...]:
    """Every role the table lets call `method` in `area`, in table order."""
    if area not in AREAS:
        return ()
    column = AREAS.index(area)
    wanted = access(method)
    return tuple(role for role, row in TABLE.items() if wanted in row[column])


def decide(role: str, area: str, method: str) -> Decision:
    required = roles_allowed(area, method)
    return Decision(role in required, required)


def refusal(role: str, area: str, method: str, required: tuple[str, ...]) -> str:
    """The 403 detail: what was refused and which role would do."""
    verb = "read" if access(method) == "r" else "write"
    if not required:
        return f"no role may {verb} in the {area} area"
    return f"the {role} role may not {verb} in the {area} area; this needs the {' or '.join(required)} role"
