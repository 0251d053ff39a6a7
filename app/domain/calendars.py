"""The working-day calendar: weekends, public holidays and 调休 make-up working days, and working hours."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Holiday(Base):
    """A date that differs from the weekly rule: a holiday on a weekday, or a working weekend day."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)


def parse_hours(spec):
    """'09:00-12:00,13:30-17:30' -> [(time, time), ...]."""
    ranges = []
    for part in spec.split(","):
        start, end = part.strip().split("-")
        ranges.append((time.fromisoformat(start), time.fromisoformat(end)))
    return ranges


@dataclass
class WorkingCalendar:
    timezone: str = "Asia/Shanghai"
    hours: list = field(default_factory=lambda: parse_hours("09:00-12:00,13:30-17:30"))
    overrides: dict = field(default_factory=dict)  # date -> is working day

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def add_working_days(self, start, days):
        """The same local time `days` working days after `start` (a non-working start counts from the next opening)."""
        local = start.astimezone(self.tz)
        if not self.is_working_day(local.date()):
            local = self._next_opening(local)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, local.timetz()).astimezone(start.tzinfo)

    def add_working_hours(self, start, hours):
        """The moment `hours` of working time after `start`."""
        remaining = timedelta(hours=hours)
        cursor = start.astimezone(self.tz)
        for _ in range(3660):
            for opens, closes in self._intervals(cursor.date()):
                if cursor >= closes:
                    continue
                cursor = max(cursor, opens)
                if cursor + remaining <= closes:
                    return (cursor + remaining).astimezone(start.tzinfo)
                remaining -= closes - cursor
                cursor = closes
            cursor = datetime.combine(cursor.date() + timedelta(days=1), time(0), self.tz)
        raise ValueError("no working time within ten years")

    def _intervals(self, day):
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz)) for a, b in self.hours]

    def _next_opening(self, local):
        day = local.date()
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.hours[0][0], self.tz)


def load_calendar(session, timezone, hours_spec):
    overrides = {h.day: h.is_workday for h in session.scalars(select(Holiday))}
    return WorkingCalendar(timezone=timezone, hours=parse_hours(hours_spec), overrides=overrides)


def set_holiday(session, day, name, is_workday=False):
    row = session.get(Holiday, day) or Holiday(day=day)
    row.name, row.is_workday = name, is_workday
    session.add(row)
    session.flush()
    return row
