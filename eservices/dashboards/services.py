"""Use cases of the dashboards: recording paper exchanges (staff of the unit), audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.audit.services import record
from eservices.units.staff import require_staff_of

from .models import PaperExchange


@transaction.atomic
def record_paper_exchange(*, actor, unit, occurred_on, direction, count, request=None) -> PaperExchange:
    """Count paper items a unit sent or received outside the portal, so that the share of electronic exchanges
    counts them; staff of that unit only."""
    require_staff_of(actor, unit)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")}, code="future")
    exchange = PaperExchange(unit=unit, occurred_on=occurred_on, direction=direction, count=count, recorded_by=actor)
    exchange.full_clean()
    exchange.save()
    record(
        "dashboard.paper_recorded",
        actor=actor,
        target=exchange,
        unit=unit,
        request=request,
        details={"date": occurred_on.isoformat(), "direction": direction, "count": count},
    )
    return exchange
