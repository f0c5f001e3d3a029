"""Reads the staff screens need, scoped to the reader's units (``units.staff``). The reads through a person's
grants (their case files, who consulted a case file) are ``access.queries``: access sits above the case files."""

from django.db.models import Q, QuerySet

from eservices.audit.models import AuditEvent
from eservices.identity.types import Actor
from eservices.units import staff as unit_staff

from .models import CaseFile


def case_files_for_staff(user: Actor) -> QuerySet[CaseFile]:
    """Case files of the units the staff member belongs to, with what the list shows."""
    return CaseFile.objects.filter(unit_staff.of_my_units(user)).select_related("unit")


def history(case_file: CaseFile) -> QuerySet[AuditEvent]:
    """The case file's trail: what was done to it and its documents, who decided on access, who downloaded."""
    return (
        AuditEvent.objects.filter(
            Q(object_type=CaseFile._meta.label_lower, object_id=str(case_file.pk)) | Q(details__case_file=case_file.pk)
        )
        .exclude(action="casefile.consulted")
        .order_by("-occurred_at", "-id")
    )
