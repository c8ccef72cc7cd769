"""When a failed delivery is tried again: capped exponential backoff with jitter, within the retry window (no I/O)."""
from __future__ import annotations

import datetime as dt
import random
from typing import Callable

JITTER = 0.2  # a retry comes up to this fraction earlier, so receivers failing together are not retried together


def retry_delay(failures: int, *, base: float, cap: float, draw: Callable[[], float] = random.random) -> float:
    """Seconds before the next attempt after `failures` failed ones: base, 2·base, 4·base… up to cap, less jitter."""
    exponent = min(max(failures - 1, 0), 60)  # past 2^60 every delay is the cap anyway
    return min(cap, base * 2 ** exponent) * (1 - JITTER * draw())


def next_attempt(failures: int, *, now: dt.datetime, give_up_at: dt.datetime, base: float, cap: float,
                 draw: Callable[[], float] = random.random) -> dt.datetime | None:
    """The time of the next attempt, or None when it would fall past `give_up_at` (the delivery has failed)."""
    when = now + dt.timedelta(seconds=retry_delay(failures, base=base, cap=cap, draw=draw))
    return when if when <= give_up_at else None
