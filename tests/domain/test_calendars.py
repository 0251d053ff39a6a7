"""The working calendar against hand-computed dates: Tianchang's hours, weekends, the 2026 holidays and 调休."""

from datetime import date, datetime, time, timedelta, timezone

import pytest

from app.domain.calendars import WorkingCalendar, load_calendar, parse_hours
from app.governance.demo import HOLIDAYS_2026, WORKDAYS_2026

CST = timezone(timedelta(hours=8))  # Asia/Shanghai has kept +08:00 all year since 1991: no DST


def overrides():
    days = {}
    for first, last, _name in HOLIDAYS_2026:
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last):
            days[day] = False
            day += timedelta(days=1)
    days.update({date.fromisoformat(day): True for day, _name in WORKDAYS_2026})
    return days


@pytest.fixture
def calendar():
    return WorkingCalendar("Asia/Shanghai", parse_hours("09:00-12:00,13:30-17:30"), overrides())


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=CST)


def test_working_hours_are_read_as_two_intervals():
    assert parse_hours("09:00-12:00, 13:30-17:30") == [(time(9), time(12)), (time(13, 30), time(17, 30))]


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 3, 2), True),     # an ordinary Monday
    (date(2026, 3, 7), False),    # an ordinary Saturday
    (date(2026, 1, 1), False),    # 元旦, a Thursday
    (date(2026, 1, 4), True),     # 元旦调休上班, a Sunday
    (date(2026, 2, 14), True),    # 春节调休上班, a Saturday
    (date(2026, 2, 23), False),   # the last day of 春节, a Monday
    (date(2026, 4, 6), False),    # 清明节, a Monday
    (date(2026, 5, 9), True),     # 劳动节调休上班, a Saturday
    (date(2026, 10, 7), False),   # 国庆节, a Wednesday
    (date(2026, 10, 10), True),   # 国庆节调休上班, a Saturday
])
def test_weekends_holidays_and_make_up_days(calendar, day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(("start", "hours", "expected"), [
    (at(2026, 3, 2, 9), 2, at(2026, 3, 2, 11)),              # within the morning
    (at(2026, 3, 2, 11), 2, at(2026, 3, 2, 14, 30)),         # one hour, lunch 12:00-13:30, one hour
    (at(2026, 3, 2, 9), 7, at(2026, 3, 2, 17, 30)),          # a full day is 3 h + 4 h, ending at closing time
    (at(2026, 3, 2, 9), 7.5, at(2026, 3, 3, 9, 30)),         # half an hour more runs into the next morning
    (at(2026, 3, 2, 9), 0.25, at(2026, 3, 2, 9, 15)),        # fractions of an hour
    (at(2026, 3, 6, 17), 2, at(2026, 3, 9, 10, 30)),         # Friday 17:00: half an hour, the weekend, 1.5 h
    (at(2026, 3, 2, 7), 1, at(2026, 3, 2, 10)),              # before opening: counts from 09:00
    (at(2026, 3, 2, 12, 30), 1, at(2026, 3, 2, 14, 30)),     # in the lunch break: counts from 13:30
    (at(2026, 3, 2, 18), 1, at(2026, 3, 3, 10)),             # after closing: counts from the next morning
    (at(2026, 3, 7, 10), 1, at(2026, 3, 9, 10)),             # on a Saturday: counts from Monday
    (at(2026, 4, 3, 17), 1, at(2026, 4, 7, 9, 30)),          # 清明节 Saturday to Monday
    (at(2025, 12, 31, 17), 1, at(2026, 1, 4, 9, 30)),        # 元旦 Thursday to Saturday, then Sunday's 调休
    (at(2026, 2, 13, 17), 3.5, at(2026, 2, 14, 12)),         # 春节调休: Saturday 14 February works
    (at(2026, 2, 14, 17), 1, at(2026, 2, 24, 9, 30)),        # …and then nine days of 春节
])
def test_add_working_hours(calendar, start, hours, expected):
    assert calendar.add_working_hours(start, hours) == expected


@pytest.mark.parametrize(("start", "days", "expected"), [
    (at(2026, 3, 2, 9), 3, at(2026, 3, 5, 9)),               # Monday + 3 = Thursday, same time
    (at(2026, 3, 5, 15), 2, at(2026, 3, 9, 15)),             # Thursday + 2 skips the weekend
    (at(2026, 3, 2, 9), 0, at(2026, 3, 2, 9)),               # zero days is now
    (at(2026, 3, 8, 15), 1, at(2026, 3, 10, 9)),             # from a Sunday: the next opening, Monday 09:00, + 1
    (at(2026, 4, 30, 10), 1, at(2026, 5, 6, 10)),            # 劳动节 1–5 May
    (at(2026, 5, 8, 10), 1, at(2026, 5, 9, 10)),             # …whose 调休 Saturday is a working day
    (at(2026, 2, 13, 9), 1, at(2026, 2, 14, 9)),             # 春节调休 Saturday
    (at(2026, 2, 14, 9), 1, at(2026, 2, 24, 9)),             # over 春节
    (at(2026, 9, 30, 10), 1, at(2026, 10, 8, 10)),           # over 国庆节
    (at(2026, 9, 24, 10), 1, at(2026, 9, 28, 10)),           # over 中秋节, Friday to Sunday
])
def test_add_working_days(calendar, start, days, expected):
    assert calendar.add_working_days(start, days) == expected


def test_results_keep_the_callers_zone_and_count_in_tianchangs(calendar):
    monday_morning_utc = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # Monday 07:30 in Tianchang
    result = calendar.add_working_hours(monday_morning_utc, 1)
    assert result == datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc) and result.tzinfo is timezone.utc
    days = calendar.add_working_days(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc), 3)
    assert days == datetime(2026, 3, 5, 1, 0, tzinfo=timezone.utc) and days.tzinfo is timezone.utc


def test_the_zone_has_no_daylight_saving(calendar):
    """Europe and America change their clocks on 8 and 29 March 2026; Tianchang's deadlines do not move."""
    for start in (at(2026, 3, 6, 10), at(2026, 3, 27, 10), at(2026, 7, 1, 10), at(2026, 11, 2, 10)):
        local = calendar.add_working_days(start, 5).astimezone(calendar.tz)
        assert local.utcoffset() == timedelta(hours=8) and local.time() == time(10)


def test_other_working_hours_are_honoured():
    shifts = WorkingCalendar("Asia/Shanghai", parse_hours("08:00-12:00"))
    assert shifts.add_working_hours(at(2026, 3, 2, 11), 2) == at(2026, 3, 3, 9)


def test_the_holiday_table_is_read_from_the_database(session):
    calendar = load_calendar(session, "Asia/Shanghai", "09:00-12:00,13:30-17:30")
    assert calendar.is_working_day(date(2026, 2, 14)) and not calendar.is_working_day(date(2026, 10, 5))
    assert calendar.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 8, 10)
