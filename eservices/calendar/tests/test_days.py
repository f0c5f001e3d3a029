"""The legal calendar's arithmetic (Judicial Code art. 52-54): months "de quantième à veille de quantième", leap
years, weekends, legal holidays (only they move a deadline, not a registry's closing day) and the daylight-saving
changes of Europe/Brussels. The dates are those of the issue on days."""

import datetime
import zoneinfo

import pytest

from eservices.calendar import days
from eservices.calendar.models import ClosingDay, LegalHoliday

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    """An aware moment given in Belgian time."""
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def end(start, **kwargs):
    return days.time_limit_end(start, **kwargs)


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


@pytest.mark.parametrize(
    ("event", "months", "last_day"),
    [
        # Art. 54: from the day after the event to the day before the same date, months later.
        ((2026, 2, 28), 1, (2026, 3, 31)),  # a Tuesday, not Monday 30 March
        ((2026, 9, 30), 1, (2026, 11, 2)),  # 31 October is a Saturday, 1 November a Sunday and a holiday
        ((2028, 2, 29), 1, (2028, 3, 31)),
        ((2026, 6, 30), 1, (2026, 7, 31)),
        ((2026, 11, 30), 1, (2026, 12, 31)),
        # Right before the fix, and still right.
        ((2026, 1, 31), 1, (2026, 3, 2)),  # 28 February 2026 is a Saturday
        ((2026, 8, 31), 1, (2026, 9, 30)),  # a Wednesday
        ((2028, 2, 29), 12, (2029, 2, 28)),
    ],
)
@pytest.mark.django_db
def test_months_run_de_quantieme_a_veille_de_quantieme(event, months, last_day):
    assert end(datetime.date(*event), months=months) == datetime.date(*last_day)
    assert end(at(*event, 10, 0), months=months) == datetime.date(*last_day)


@pytest.mark.django_db
def test_a_legal_holiday_added_with_its_source_moves_a_deadline():
    assert end(at(2026, 9, 8, 10, 0), months=1) == datetime.date(2026, 10, 8)  # a Thursday
    LegalHoliday.objects.create(date=datetime.date(2026, 10, 8), name="Jour férié", legal_source="Loi du ...")
    assert end(at(2026, 9, 8, 10, 0), months=1) == datetime.date(2026, 10, 9)


@pytest.mark.django_db
def test_a_registry_closing_day_never_moves_a_deadline():
    # A 10-day limit from Tuesday 5 May 2026 ends on Friday 15 May; a bridge day that day changes nothing.
    assert end(datetime.date(2026, 5, 5), days=10) == datetime.date(2026, 5, 15)
    ClosingDay.objects.create(date=datetime.date(2026, 5, 15), name="Pont de l'Ascension")
    assert end(datetime.date(2026, 5, 5), days=10) == datetime.date(2026, 5, 15)
    assert days.is_working_day(datetime.date(2026, 5, 15))


@pytest.mark.django_db
def test_a_legal_holiday_needs_its_legal_source():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        LegalHoliday.objects.create(date=datetime.date(2026, 10, 8), name="Pont", legal_source="")


@pytest.mark.django_db
def test_working_days_skip_weekends_and_legal_holidays():
    # Thursday 13 May 2026: Ascension (14th), then Friday 15th, Monday 18th, Tuesday 19th.
    assert days.add_working_days(datetime.date(2026, 5, 13), 3) == datetime.date(2026, 5, 19)
    # Across a weekend, at the same Brussels clock time: Friday 23 October 2026 10:00 -> Wednesday 28 October 10:00
    # (winter time came back on the 25th).
    moment = days.add_working_days_at(at(2026, 10, 23, 10, 0), 3)
    assert moment.astimezone(BRUSSELS) == at(2026, 10, 28, 10, 0)


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
    spring = days.add_days(at(2026, 3, 25, 10, 0), 8)
    assert spring == datetime.datetime(2026, 4, 2, 8, 0, tzinfo=datetime.UTC)
    assert spring.astimezone(BRUSSELS).hour == 10
    # Winter time comes back on Sunday 25 October 2026.
    autumn = days.add_days(at(2026, 10, 20, 23, 30), 8)
    assert autumn == datetime.datetime(2026, 10, 28, 22, 30, tzinfo=datetime.UTC)
    assert autumn.astimezone(BRUSSELS).strftime("%d %H:%M") == "28 23:30"
    # Backwards too (the reminder is computed before the deemed date).
    assert days.add_days(spring, -8) == at(2026, 3, 25, 10, 0)


def test_days_left():
    assert days.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 1)) == 9
    assert days.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 10)) == 0
    assert days.days_left(datetime.date(2026, 4, 10), today=datetime.date(2026, 4, 12)) == -2


@pytest.mark.django_db
def test_belgian_legal_holidays_come_from_the_library():
    holidays = days.legal_holidays(2026)
    for day in [(1, 1), (4, 6), (5, 1), (5, 14), (5, 25), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]:
        assert datetime.date(2026, *day) in holidays
    assert not days.is_working_day(datetime.date(2026, 5, 14))  # Ascension
    assert days.is_working_day(datetime.date(2026, 5, 13))
