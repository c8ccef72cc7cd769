"""The month a calendar shows: its weeks (Monday first, whole weeks) and which drills fall on which day."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")
# A drill is drawn on every day of its window, but a window left open for weeks (a drill nobody closed) would
# fill the month: past this many days it is drawn on its first day only.
LONGEST_DRAWN_SPAN = 14


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, *, default: dt.date) -> "Month":
        """`YYYY-MM`, or the month of `default` when the text is missing or not a month."""
        found = MONTH_TEXT.match(text or "")
        if found and 1 <= int(found.group(2)) <= 12 and 1900 <= int(found.group(1)) <= 2200:
            return cls(int(found.group(1)), int(found.group(2)))
        return cls(default.year, default.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def weeks(self) -> list[list[dt.date]]:
        """The weeks that hold a day of this month, Monday to Sunday, with the neighbouring months' days."""
        start = self.first_day - dt.timedelta(days=self.first_day.weekday())
        last = self.next.first_day - dt.timedelta(days=1)
        end = last + dt.timedelta(days=6 - last.weekday())
        days = [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]
        return [days[index:index + 7] for index in range(0, len(days), 7)]


@dataclass(frozen=True)
class Placed:
    """A drill as a calendar cell shows it: the drill's answer and its local start and end."""

    drill: Mapping
    starts: dt.datetime
    ends: dt.datetime

    def continues_on(self, day: dt.date) -> bool:
        """Whether `day` is a later day of a window that began before it (the cell says so, not the time)."""
        return day != self.starts.date()


def days_of(starts: dt.datetime, ends: dt.datetime) -> list[dt.date]:
    """The local days a window covers: an end at midnight does not reach into the day it opens."""
    last = (ends - dt.timedelta(microseconds=1)).date() if ends > starts else starts.date()
    span = (last - starts.date()).days + 1
    if span > LONGEST_DRAWN_SPAN:
        return [starts.date()]
    return [starts.date() + dt.timedelta(days=offset) for offset in range(span)]


def by_day(placed: Iterable[Placed], weeks: list[list[dt.date]]) -> dict[dt.date, list[Placed]]:
    """Each day of the grid → the drills on it, by start time."""
    grid = {day: [] for week in weeks for day in week}
    for drill in sorted(placed, key=lambda one: one.starts):
        for day in days_of(drill.starts, drill.ends):
            if day in grid:
                grid[day].append(drill)
    return grid
