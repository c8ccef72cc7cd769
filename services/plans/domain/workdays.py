"""Working days (Mon–Fri) with an optional calendar of public holidays and make-up working days (调休)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    # China moves some weekend days to working days around its holidays; those count as worked.
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (the start day itself never counts)."""
        if days < 0:
            raise ValueError("days must be 0 or more")
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day


def parse_dates(text: str | None) -> frozenset[dt.date]:
    """`2026-10-01,2026-10-02` → dates; blanks ignored, a malformed date fails loudly at start-up."""
    return frozenset(dt.date.fromisoformat(part.strip()) for part in (text or "").split(",") if part.strip())
