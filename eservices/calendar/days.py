"""Day arithmetic of the Belgian Judicial Code, used by every time limit of the portal (mailbox notifications,
triage of deposits, access decisions): one calendar, in Europe/Brussels dates. docs/deadlines.md says it in words.

- Art. 52: a time limit counts from midnight after the event; the day of the event (dies a quo) is not counted.
- Art. 53: the last day (dies ad quem) is counted; when it is a Saturday, a Sunday or a legal holiday it moves to
  the next working day. Only legal holidays do: the ``holidays`` package's Belgian ones and the ``LegalHoliday``
  rows (each with its legal source); a registry's closing day (``ClosingDay``) moves nothing.
- Art. 54: a time limit in months runs "de quantième à veille de quantième": from the day after the event to the
  day before the same date that many months later (28 February + 1 month ends on 31 March; a date a month lacks
  is replaced by the month's last day, so 31 January + 1 month ends on 28 or 29 February).
- Working days (art. 53bis, 2°, for post; art. 53 treats Saturdays, Sundays and legal holidays alike): every day
  but Saturdays, Sundays and legal holidays.
"""

import datetime
import functools
import zoneinfo

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from .models import LegalHoliday

ONE_DAY = datetime.timedelta(days=1)


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Belgian calendar date of an aware moment."""
    return timezone.localtime(moment, local_zone()).date()


def local_today() -> datetime.date:
    return local_date(timezone.now())


@functools.lru_cache(maxsize=64)
def _package_holidays(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("BE", years=year))


def legal_holidays(year: int) -> set[datetime.date]:
    """Belgium's legal holidays of ``year``: the package's and the ``LegalHoliday`` rows (art. 53)."""
    added = LegalHoliday.objects.filter(date__year=year).values_list("date", flat=True)
    return set(_package_holidays(year)) | set(added)


class _Days:
    """Working-day tests over a range of years, reading each year's holidays once."""

    def __init__(self) -> None:
        self.years: dict[int, set[datetime.date]] = {}

    def working(self, day: datetime.date) -> bool:
        if day.weekday() >= 5:
            return False
        if day.year not in self.years:
            self.years[day.year] = legal_holidays(day.year)
        return day not in self.years[day.year]


def is_working_day(day: datetime.date) -> bool:
    return _Days().working(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it (art. 53)."""
    days = _Days()
    while not days.working(day):
        day += ONE_DAY
    return day


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    days = _Days()
    while count > 0:
        day += ONE_DAY
        if days.working(day):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days come after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``): the
    inverse of ``add_working_days``, so ``working_days_between(d, add_working_days(d, n)) == n``."""
    days = _Days()
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if days.working(day):
            count += 1
    return count


def _event_day(event: datetime.date | datetime.datetime) -> datetime.date:
    return local_date(event) if isinstance(event, datetime.datetime) else event


def time_limit_end(event: datetime.date | datetime.datetime, *, months: int = 0, days: int = 0) -> datetime.date:
    """The last day of a time limit of ``months`` and ``days`` that runs from ``event`` (its dies a quo: an aware
    moment or a Belgian date), moved past Saturdays, Sundays and legal holidays (art. 52-54)."""
    first_day = _event_day(event) + ONE_DAY  # art. 52: the day after the event, the "quantième"
    end = first_day + relativedelta(months=months) - ONE_DAY if months else first_day - ONE_DAY  # art. 54
    return next_working_day(end + datetime.timedelta(days=days))


def _at_same_time(moment: datetime.datetime, day: datetime.date) -> datetime.datetime:
    zone = local_zone()
    local = moment.astimezone(zone)
    return (
        datetime.datetime.combine(day, local.time().replace(tzinfo=None)).replace(tzinfo=zone).astimezone(datetime.UTC)
    )


def add_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``moment`` plus ``days`` calendar days at the same Belgian wall-clock time (23 or 25 hours on DST days)."""
    return _at_same_time(moment, local_date(moment) + datetime.timedelta(days=days))


def add_working_days_at(moment: datetime.datetime, count: int) -> datetime.datetime:
    """The ``count``-th working day after ``moment``'s Belgian date, at the same Belgian wall-clock time."""
    return _at_same_time(moment, add_working_days(local_date(moment), count))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """00:00 Brussels time on ``day``, as an aware moment."""
    return datetime.datetime.combine(day, datetime.time()).replace(tzinfo=local_zone())


def days_left(deadline: datetime.date, today: datetime.date | None = None) -> int:
    """Whole days from today (Belgian date) to the deadline; 0 on its last day, negative once past."""
    return (deadline - (today or local_today())).days
