"""Assessment periods: a month (2026-11), a quarter (2026-Q4), a year (2026) or any range (2026-11-03~2026-11-20).

A period is a span of county dates; its bounds in time are county midnights, so a fact belongs to a period by
the county day it happened on, on SQLite and PostgreSQL alike.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.errors import ValidationFailed
from app.messages import msg

MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
YEAR = re.compile(r"(\d{4})")
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})")
FIRST_YEAR = 2000
LONGEST_RANGE_DAYS = 366 * 3


@dataclass(frozen=True, order=True)
class Period:
    first: date
    last: date  # inclusive
    kind: str  # month | quarter | year | range

    @classmethod
    def month(cls, year, month):
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year, quarter):
        start = cls.month(year, quarter * 3 - 2)
        return cls(start.first, cls.month(year, quarter * 3).last, "quarter")

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def of_month(cls, day):
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, text):
        """The period `text` names; refused in Chinese when it names none."""
        text = (text or "").strip()
        try:
            if found := MONTH.fullmatch(text):
                period = cls.month(int(found[1]), int(found[2]))
            elif found := QUARTER.fullmatch(text):
                period = cls.quarter(int(found[1]), int(found[2]))
            elif found := YEAR.fullmatch(text):
                period = cls.year(int(found[1]))
            elif found := RANGE.fullmatch(text):
                period = cls(date.fromisoformat(found[1]), date.fromisoformat(found[2]), "range")
            else:
                raise ValueError(text)
        except ValueError:
            raise _refused(msg("assessment.bad_period")) from None
        if period.first > period.last:
            raise _refused(msg("assessment.period_backwards"))
        if period.first.year < FIRST_YEAR or (period.last - period.first).days > LONGEST_RANGE_DAYS:
            raise _refused(msg("assessment.period_too_long"))
        return period

    @property
    def code(self):
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first.isoformat()}~{self.last.isoformat()}"

    @property
    def label(self):
        first = self.first
        if self.kind == "month":
            return msg("assessment.period.month", year=first.year, month=first.month)
        if self.kind == "quarter":
            return msg("assessment.period.quarter", year=first.year, quarter=(first.month - 1) // 3 + 1)
        if self.kind == "year":
            return msg("assessment.period.year", year=first.year)
        return msg("assessment.period.range", first=first.isoformat(), last=self.last.isoformat())

    def bounds(self, zone):
        """(start, end) in time: county midnight of the first day, and of the day after the last (exclusive)."""
        return (datetime.combine(self.first, time(), zone),
                datetime.combine(self.last + timedelta(days=1), time(), zone))

    def previous(self):
        """The period of the same kind just before this one (a range: as long, ending the day before)."""
        if self.kind == "month":
            before = self.first - timedelta(days=1)
            return Period.month(before.year, before.month)
        if self.kind == "quarter":
            before = self.first - timedelta(days=1)
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == "year":
            return Period.year(self.first.year - 1)
        length = self.last - self.first
        return Period(self.first - length - timedelta(days=1), self.first - timedelta(days=1), "range")

    def ended_by(self, today):
        return self.last < today


def trail(period, count=12):
    """The `count` months ending with the period's last month, oldest first."""
    months = [Period.of_month(period.last)]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months


def last_complete_month(today):
    return Period.of_month(today).previous()


def _refused(text):
    return ValidationFailed(text, {"period": [text]})
