"""Reads of the trail, scoped to the reader: functional administrators see all of it, unit leads their units'."""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from eservices.identity.types import Actor
from eservices.units import staff
from eservices.units.models import StaffRole

from .models import AuditEvent

READER_ROLES = (StaffRole.UNIT_LEAD, StaffRole.ADMINISTRATOR)


def reader_role(user: Actor) -> str | None:
    """The role in which ``user`` reads the trail (the administrator's wins), or ``None`` if they may not."""
    roles = staff.roles_of(user) & set(READER_ROLES)
    if StaffRole.ADMINISTRATOR in roles:
        return StaffRole.ADMINISTRATOR
    return StaffRole.UNIT_LEAD if roles else None


def events_visible_to(user: Actor) -> QuerySet[AuditEvent]:
    """The whole trail for a functional administrator, the events of their units for a unit lead, else none."""
    role = reader_role(user)
    if role == StaffRole.ADMINISTRATOR:
        return AuditEvent.objects.all()
    if role == StaffRole.UNIT_LEAD:
        codes = staff.units_of(user, roles=(StaffRole.UNIT_LEAD,)).values("code")
        return AuditEvent.objects.filter(unit_code__in=codes)
    return AuditEvent.objects.none()


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_events(
    user: Actor,
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events ``user`` may read, filtered: action prefix, actor (name or user name), object (text or id), and
    days in the portal's time zone (both ends included), newest first."""
    events = events_visible_to(user)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(Q(actor_label__icontains=actor) | Q(actor__username__iexact=actor))
    if target:
        events = events.filter(Q(object_repr__icontains=target) | Q(object_id=target))
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    # Entries not sealed yet (no sequence) are the newest: first, by id.
    return events.order_by(F("sequence").desc(nulls_first=True), "-id")
