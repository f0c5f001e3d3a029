"""Reads of the staff-edited content for the public pages."""

from eservices.units.models import Unit

from .models import Notice


def current_notices() -> list[Notice]:
    """The notices shown now, newest first."""
    return list(Notice.objects.current())


def units_with_contacts() -> list[Unit]:
    """Every unit with its contact details (None when never filled in)."""
    units = list(Unit.objects.select_related("contact"))
    for unit in units:
        unit.contact_details = getattr(unit, "contact", None)  # type: ignore[attr-defined]  # for the template
    return units
