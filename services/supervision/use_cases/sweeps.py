"""The worker's periodic sweeps: what turns overdue with the clock alone is announced once, whichever worker sweeps.

Each sweep is `sweep(session=, now=, today=)` in a transaction of its own (services/supervision/app.py).
"""
from __future__ import annotations

from typing import Callable

from services.supervision.use_cases import warning_sweeps

SWEEPS: dict[str, Callable[..., None]] = {
    "announce overdue warning acknowledgements": warning_sweeps.announce_overdue_acknowledgements,
}
