"""What every workflow operation needs besides the session: the engine, the settings and host operations."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.db import utcnow
from app.definitions.limits import DefinitionLimits
from app.definitions.loading import load_form
from app.domain.calendars import load_calendar
from app.engine.runner import Engine
from app.engine.scripting import Limits, Sandbox


@dataclass
class Settings:
    """The settings the workflow room uses, taken from Config (the only place their defaults live)."""

    timezone: str
    working_hours: str
    script_time_limit: float
    script_size_limit: int
    definition_limits: DefinitionLimits
    password_hash_method: str
    scenario_time_limit: float

    @classmethod
    def from_config(cls, config):
        return cls(config.TIMEZONE, config.WORKING_HOURS, config.SCRIPT_TIME_LIMIT, config.SCRIPT_SIZE_LIMIT,
                   DefinitionLimits.from_config(config), config.PASSWORD_HASH_METHOD, config.SCENARIO_TIME_LIMIT)

    @property
    def max_flow_nodes(self):
        return self.definition_limits.max_flow_nodes


class LazyCalendar:
    """Loads the holiday table only when a deadline or a date helper needs it."""

    def __init__(self, loader):
        self._loader, self._calendar = loader, None

    def __getattr__(self, name):
        if self._calendar is None:
            self._calendar = self._loader()
        return getattr(self._calendar, name)


@dataclass
class Runtime:
    engine: Engine
    settings: Settings = field(default_factory=Settings)
    forms: dict = field(default_factory=dict)  # (deployment id, form id) -> Form; deployments are immutable

    def form(self, session, deployment_id, form_id):
        key = (deployment_id, form_id)
        if key not in self.forms:
            self.forms[key] = load_form(session, deployment_id, form_id)
        return self.forms[key]

    def lazy_calendar(self, session):
        return LazyCalendar(lambda: self.calendar(session))

    def calendar(self, session):
        return load_calendar(session, self.settings.timezone, self.settings.working_hours)

    def sandbox_for(self, calendar):
        """A sandbox whose helpers see the working calendar; built per run (holidays may change)."""
        limits = Limits(self.settings.script_time_limit, self.settings.script_size_limit)
        return Sandbox(limits=limits, helpers=script_helpers(calendar))


def script_helpers(calendar):
    """Date helpers designers call from scripts, conditions and timer expressions; all return ISO strings."""

    def parse(value):
        moment = datetime.fromisoformat(value) if isinstance(value, str) else utcnow()
        return moment if moment.tzinfo else moment.replace(tzinfo=calendar.tz)

    return {
        "now": lambda: utcnow().isoformat(),
        "today": lambda: utcnow().astimezone(calendar.tz).date().isoformat(),
        "add_days": lambda start, n: (parse(start) + timedelta(days=n)).isoformat(),
        "add_hours": lambda start, n: (parse(start) + timedelta(hours=n)).isoformat(),
        "add_working_days": lambda start, n: calendar.add_working_days(parse(start), n).isoformat(),
        "add_working_hours": lambda start, n: calendar.add_working_hours(parse(start), n).isoformat(),
        "working_days_from_now": lambda n: calendar.add_working_days(utcnow(), n).isoformat(),
        "working_hours_from_now": lambda n: calendar.add_working_hours(utcnow(), n).isoformat(),
        "is_working_day": lambda value: calendar.is_working_day(parse(value).astimezone(calendar.tz).date()),
    }


HELPER_NAMES = frozenset({
    "now", "today", "add_days", "add_hours", "add_working_days", "add_working_hours",
    "working_days_from_now", "working_hours_from_now", "is_working_day", "math",
})
