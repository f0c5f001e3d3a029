"""Use cases of the staff-edited content: only functional administrators change it, and every change is audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.identity.types import Actor
from eservices.units import staff
from eservices.units.models import Unit

from .models import LANGUAGE_CODES, ContactDetails, Notice

CONTACT_FIELDS = ("email", "phone", "address", *(f"hours_{code}" for code in LANGUAGE_CODES))


def may_edit_content(user: Actor) -> bool:
    """Functional administrators (of any unit) edit the notices and the contact details."""
    return staff.is_administrator(user)


def _check(actor: Actor) -> None:
    if not may_edit_content(actor):
        raise PermissionDenied


@transaction.atomic
def publish_notice(
    *,
    actor: Actor,
    kind: str,
    texts: dict[str, str],
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Notice:
    """Shows a notice on the home page from ``starts_at`` (now by default) until ``ends_at`` (or withdrawal)."""
    _check(actor)
    notice = Notice(kind=kind, starts_at=starts_at or timezone.now(), ends_at=ends_at)
    for code in LANGUAGE_CODES:
        setattr(notice, f"text_{code}", texts.get(code, "").strip())
    if ends_at is not None and ends_at <= notice.starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    notice.full_clean()
    notice.save()
    record(
        "notice.published",
        actor=actor,
        target=notice,
        request=request,
        details={"kind": kind, "starts_at": notice.starts_at, "ends_at": ends_at, "text_fr": notice.text_fr},
    )
    return notice


@transaction.atomic
def withdraw_notice(*, actor: Actor, notice: Notice, request: HttpRequest | None = None) -> Notice:
    """Takes a notice off the home page at once; it stays recorded."""
    _check(actor)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.withdrawn_at is None:
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["withdrawn_at"])
        record("notice.withdrawn", actor=actor, target=notice, request=request)
    return notice


@transaction.atomic
def update_contact(
    *, actor: Actor, unit: Unit, data: dict[str, str], request: HttpRequest | None = None
) -> ContactDetails:
    """Changes how to reach a unit; the audit event keeps each changed field's old and new value."""
    _check(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    contact, _created = ContactDetails.objects.get_or_create(unit=unit)
    changes = {}
    for field in CONTACT_FIELDS:
        if field not in data:
            continue
        target = unit if field == "email" else contact
        old, new = getattr(target, field), (data[field] or "").strip()
        if old != new:
            setattr(target, field, new)
            changes[field] = {"from": old, "to": new}
    if changes:
        unit.full_clean()
        contact.full_clean()
        unit.save(update_fields=["email"])
        contact.save()
        record("contact.updated", actor=actor, target=unit, request=request, details={"changes": changes})
    return contact
