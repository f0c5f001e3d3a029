"""Time limits that run from a notification, and the dates a unit's rule derives from it.

A time limit counts from the day after its start event (Belgian Judicial Code, art. 53: the day of the act is not
counted); one in months runs "de quantième à veille de quantième" (art. 54), which is the start date plus that
many months, ending on the month's last day when the date does not exist (31 January + 1 month = 28 or 29
February). A last day that falls on a Saturday, a Sunday or a public holiday moves to the next working day (art. 53).
Public holidays are Belgium's legal holidays from the ``holidays`` library plus the dates staff add (``Holiday``).
Dates are Belgian calendar dates (Europe/Brussels); day counts keep the local time of day across daylight-saving
changes.
"""

import datetime
import functools
import zoneinfo

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from .models import Holiday


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=64)
def _library_holidays(year):
    return frozenset(holidays.country_holidays("BE", years=year))


def public_holidays(year):
    """The public holidays of ``year``: the library's and those staff added."""
    added = Holiday.objects.filter(date__year=year).values_list("date", flat=True)
    return _library_holidays(year) | set(added)


def is_working_day(day):
    if day.weekday() >= 5:
        return False
    return day not in public_holidays(day.year)


def next_working_day(day):
    """``day`` itself when it is a working day, else the first working day after it."""
    years = {}
    while True:
        if day.year not in years:
            years[day.year] = public_holidays(day.year)
        if day.weekday() < 5 and day not in years[day.year]:
            return day
        day += datetime.timedelta(days=1)


def local_date(moment):
    return timezone.localtime(moment, local_zone()).date()


def time_limit_end(start, *, months=0, days=0):
    """The last day of a time limit of ``months`` and ``days`` starting with the event at ``start`` (aware)."""
    return next_working_day(local_date(start) + relativedelta(months=months, days=days))


def add_days(moment, days):
    """``moment`` plus ``days`` calendar days at the same Belgian wall-clock time (23 or 25 hours on DST days)."""
    zone = local_zone()
    local = moment.astimezone(zone).replace(tzinfo=None) + datetime.timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(datetime.UTC)


def days_left(deadline, today=None):
    """Whole days from today (Belgian date) to the deadline; 0 on its last day, negative once past."""
    today = today or local_date(timezone.now())
    return (deadline - today).days
