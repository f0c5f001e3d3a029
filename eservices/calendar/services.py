"""Use cases of the legal calendar: the functional administrator adds or removes a legal holiday the package lacks
(with its legal source) and the informative closing days of a registry. Audited in the same transaction."""

import datetime

from django.db import transaction
from django.http import HttpRequest

from eservices.audit.services import record
from eservices.identity.types import Actor
from eservices.units import staff
from eservices.units.models import Unit

from .models import ClosingDay, LegalHoliday


def can_edit_calendar(user: Actor) -> bool:
    """Whether ``user`` may change the legal calendar: it moves legal deadlines of every unit, so only a functional
    administrator may. The one place this is decided (the back office and the admin ask here)."""
    return staff.is_administrator(user)


def _check(actor: Actor) -> None:
    staff.require_administrator(actor)


@transaction.atomic
def add_legal_holiday(
    *, actor: Actor, date: datetime.date, name: str, legal_source: str, request: HttpRequest | None = None
) -> LegalHoliday:
    """Add a legal holiday the ``holidays`` package does not know yet (art. 53), with the text that makes it one."""
    _check(actor)
    holiday = LegalHoliday.objects.create(date=date, name=name, legal_source=legal_source)
    record(
        "calendar.legal_holiday_added",
        actor=actor,
        target=holiday,
        request=request,
        details={"date": date.isoformat(), "legal_source": legal_source},
    )
    return holiday


@transaction.atomic
def delete_legal_holiday(*, actor: Actor, holiday: LegalHoliday, request: HttpRequest | None = None) -> None:
    _check(actor)
    record(
        "calendar.legal_holiday_deleted",
        actor=actor,
        target=holiday,
        request=request,
        details={"date": holiday.date.isoformat()},
    )
    holiday.delete()


@transaction.atomic
def add_closing_day(
    *, actor: Actor, date: datetime.date, name: str, unit: Unit | None = None, request: HttpRequest | None = None
) -> ClosingDay:
    """Record a day a registry is closed; informative, it moves no legal time limit."""
    _check(actor)
    day = ClosingDay.objects.create(date=date, name=name, unit=unit)
    record(
        "calendar.closing_day_added",
        actor=actor,
        target=day,
        request=request,
        unit=unit,
        details={"date": date.isoformat()},
    )
    return day


@transaction.atomic
def delete_closing_day(*, actor: Actor, day: ClosingDay, request: HttpRequest | None = None) -> None:
    _check(actor)
    record(
        "calendar.closing_day_deleted",
        actor=actor,
        target=day,
        request=request,
        unit=day.unit,
        details={"date": day.date.isoformat()},
    )
    day.delete()
