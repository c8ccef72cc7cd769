"""The gateway's deadline for a request: once it has passed nobody waits for the answer, so nothing may be done."""
from __future__ import annotations

import time

from flask import Response, g

from servicekit.problems import problem

# A commit and the answer that follows it take a moment to reach the gateway; a write that would
# commit closer than this to the deadline is rolled back, so a 504 at the gateway always means "not booked".
COMMIT_MARGIN_SECONDS = 0.5


def set_for_request(deadline: float | None) -> None:
    g.erdm_deadline = deadline


def passed(*, margin: float = 0.0) -> bool:
    """True once fewer than `margin` seconds are left before the request's deadline (False without one)."""
    deadline = g.get("erdm_deadline")
    return deadline is not None and time.time() > deadline - margin


def refusal() -> Response:
    return problem(503, "The gateway stopped waiting for this request before it could finish; nothing was "
                        "changed. Retry it.", headers={"Retry-After": "1"})
