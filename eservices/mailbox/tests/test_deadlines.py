"""Deadline arithmetic: month ends, leap years, weekends, Belgian public holidays, staff-added holidays and the
daylight-saving changes of Europe/Brussels."""

import datetime
import zoneinfo

import pytest

from eservices.mailbox import deadlines
from eservices.mailbox.models import Holiday

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    """An aware moment given in Belgian time."""
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def end(start, **kwargs):
    return deadlines.time_limit_end(start, **kwargs)


@pytest.mark.django_db
def test_one_month_runs_to_the_same_date_of_the_next_month():
    assert end(at(2026, 3, 10, 9, 0), months=1) == datetime.date(2026, 4, 10)  # a Friday


@pytest.mark.django_db
def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month_then_moves_past_the_weekend():
    # 31 January 2026 + 1 month = 28 February 2026, a Saturday: moved to Monday 2 March.
    assert datetime.date(2026, 2, 28).weekday() == 5
    assert end(at(2026, 1, 31, 10, 0), months=1) == datetime.date(2026, 3, 2)
    # 30 April + 1 month = 30 May 2026, a Saturday -> Monday 1 June.
    assert end(at(2026, 4, 30, 10, 0), months=1) == datetime.date(2026, 6, 1)


@pytest.mark.django_db
def test_leap_years():
    # 31 January 2028 + 1 month = 29 February 2028, a Tuesday.
    assert end(at(2028, 1, 31, 10, 0), months=1) == datetime.date(2028, 2, 29)
    # 29 February 2028 + 12 months = 28 February 2029, a Wednesday.
    assert end(at(2028, 2, 29, 10, 0), months=12) == datetime.date(2029, 2, 28)
    # 15 days from 20 February 2028 cross the 29th: 6 March 2028, a Monday.
    assert end(at(2028, 2, 20, 10, 0), days=15) == datetime.date(2028, 3, 6)


@pytest.mark.django_db
def test_a_deadline_on_a_public_holiday_moves_to_the_next_working_day():
    # National Day, Tuesday 21 July 2026 -> Wednesday 22 July.
    assert end(at(2026, 6, 21, 10, 0), months=1) == datetime.date(2026, 7, 22)
    # Saturday 4 April 2026, then Sunday, then Easter Monday 6 April -> Tuesday 7 April.
    assert end(at(2026, 3, 20, 10, 0), days=15) == datetime.date(2026, 4, 7)
    # Christmas: Friday 25 December 2026 -> Monday 28 December.
    assert end(at(2026, 11, 25, 10, 0), months=1) == datetime.date(2026, 12, 28)
    # New Year across the year: Friday 1 January 2027 -> Monday 4 January.
    assert end(at(2026, 12, 1, 10, 0), months=1) == datetime.date(2027, 1, 4)


@pytest.mark.django_db
def test_a_holiday_added_by_staff_counts_too():
    assert end(at(2026, 9, 8, 10, 0), months=1) == datetime.date(2026, 10, 8)  # a Thursday
    Holiday.objects.create(date=datetime.date(2026, 10, 8), name="Jour de fermeture")
    Holiday.objects.create(date=datetime.date(2026, 10, 9), name="Pont")
    assert end(at(2026, 9, 8, 10, 0), months=1) == datetime.date(2026, 10, 12)


@pytest.mark.django_db
def test_the_start_day_is_the_belgian_date_of_the_event():
    # 23:30 UTC on 15 March 2026 is 00:30 on 16 March in Brussels.
    late = datetime.datetime(2026, 3, 15, 23, 30, tzinfo=datetime.UTC)
    assert end(late, days=10) == datetime.date(2026, 3, 26)
    # 22:30 UTC on 15 July 2026 is 00:30 on 16 July in Brussels (summer time, UTC+2).
    summer = datetime.datetime(2026, 7, 15, 22, 30, tzinfo=datetime.UTC)
    assert end(summer, days=6) == datetime.date(2026, 7, 22)


def test_days_are_counted_at_the_same_wall_clock_time_across_daylight_saving_changes():
    # Summer time starts on Sunday 29 March 2026: 8 days from 10:00 on 25 March end at 10:00 on 2 April,
    # which is 08:00 UTC instead of 09:00 UTC.
    spring = deadlines.add_days(at(2026, 3, 25, 10, 0), 8)
    assert spring == datetime.datetime(2026, 4, 2, 8, 0, tzinfo=datetime.UTC)
    assert spring.astimezone(BRUSSELS).hour == 10
    # Winter time comes back on Sunday 25 October 2026.
    autumn = deadlines.add_days(at(2026, 10, 20, 23, 30), 8)
    assert autumn == datetime.datetime(2026, 10, 28, 22, 30, tzinfo=datetime.UTC)
    assert autumn.astimezone(BRUSSELS).strftime("%d %H:%M") == "28 23:30"
    # Backwards too (the reminder is computed before the deemed date).
    assert deadlines.add_days(spring, -8) == at(2026, 3, 25, 10, 0)


def test_days_left():
    assert deadlines.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 1)) == 9
    assert deadlines.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 10)) == 0
    assert deadlines.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 12)) == -2


@pytest.mark.django_db
def test_belgian_legal_holidays_come_from_the_library():
    days = deadlines.public_holidays(2026)
    for day in [(1, 1), (4, 6), (5, 1), (5, 14), (5, 25), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]:
        assert datetime.date(2026, *day) in days
    assert not deadlines.is_working_day(datetime.date(2026, 5, 14))  # Ascension
    assert deadlines.is_working_day(datetime.date(2026, 5, 13))
