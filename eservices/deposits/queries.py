"""Reads the screens need; each is scoped to what the reader may see."""

from django.db.models import Q, QuerySet

from eservices.access.abilities import case_file_filter
from eservices.casefiles.models import CaseFile
from eservices.identity.queries import companies_represented_by
from eservices.identity.types import Actor
from eservices.units import staff

from .models import Deposit


def deposits_for_person(user: Actor) -> QuerySet[Deposit]:
    """The deposits a person made, and those made for a company they represent (confirmed, not ended)."""
    companies = companies_represented_by(user)
    return (
        Deposit.objects.filter(Q(depositor=user) | Q(company__in=companies))
        .exclude(number=None)
        .select_related("case_file", "unit", "depositor", "company")
        .distinct()
    )


def deposits_for_staff(user: Actor) -> QuerySet[Deposit]:
    """The deposits addressed to the units the staff member belongs to."""
    return (
        Deposit.objects.filter(staff.of_my_units(user))
        .exclude(number=None)
        .select_related("case_file", "unit", "depositor")
        .distinct()
    )


def suggested_case_files(user: Actor) -> QuerySet[CaseFile, tuple[str, int]]:
    """(reference, unit id) of the case files the deposit form suggests, whose addressee it preselects: those the
    person's grants cover or where they are a party (access is not required to deposit, so any other reference
    can be typed)."""
    return (
        CaseFile.objects.filter(Q(parties__user=user) | case_file_filter(user, as_staff=False))
        .values_list("reference", "unit_id")
        .distinct()
        .order_by("reference")[:50]
    )
