"""ISO 8601 durations, read by SpiffWorkflow's own parser so that task deadlines and timers mean the same thing.

`P1M` is a calendar month for a timer (SpiffWorkflow counts the month's real length) and so it is for a
task's `due`. On the working calendar the date part's years, months and weeks stay calendar periods, days
count working days and the time part counts working hours.
"""

from dataclasses import dataclass
from datetime import timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition


@dataclass(frozen=True)
class Duration:
    months: float = 0  # years are twelve months
    weeks: float = 0
    days: float = 0
    seconds: float = 0  # the time part (hours, minutes, seconds)

    def calendar_part(self, start):
        """The years, months and weeks from `start`, as SpiffWorkflow's timers count them."""
        return TimerEventDefinition.get_timedelta_from_start({"months": self.months, "weeks": self.weeks}, start)


def parse_duration(text):
    """A Duration, or ValueError for anything that is not an ISO 8601 duration (`P3D`, `PT2H`, `P1M`, `P1W`)."""
    if not isinstance(text, str) or not text.strip().upper().startswith("P"):
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    try:
        parts = TimerEventDefinition.parse_iso_duration(text.strip())
    except Exception as err:  # SpiffWorkflow raises a bare Exception
        raise ValueError(f"not an ISO 8601 duration: {text!r}") from err
    if not parts:
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    seconds = parts.get("hours", 0) * 3600 + parts.get("minutes", 0) * 60 + parts.get("seconds", 0)
    return Duration(months=parts.get("years", 0) * 12 + parts.get("months", 0), weeks=parts.get("weeks", 0),
                    days=parts.get("days", 0), seconds=seconds)


def is_duration(text):
    try:
        parse_duration(text)
    except ValueError:
        return False
    return True


def add_duration(start, duration):
    """`start` plus the duration on the plain calendar (what a timer with the same duration waits)."""
    return start + duration.calendar_part(start) + timedelta(days=duration.days, seconds=duration.seconds)
