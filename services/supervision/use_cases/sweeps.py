"""The worker's periodic sweeps: what turns overdue with the clock alone is announced once, whichever worker sweeps.

Each sweep is `sweep(session=, now=, today=)` in a transaction of its own (services/supervision/app.py).
"""
from __future__ import annotations

from typing import Callable

from services.supervision.use_cases import warning_sweeps
from services.supervision.use_cases.order_sweeps import announce_overdue_orders

SWEEPS: dict[str, Callable[..., None]] = {
    "announce overdue rectification orders": announce_overdue_orders,
    "announce overdue warning acknowledgements": warning_sweeps.announce_overdue_acknowledgements,
}
