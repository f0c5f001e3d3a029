"""Reads only the API needs, scoped to the client's units through ``units.staff``."""

from django.db.models import QuerySet

from eservices.casefiles.models import Party
from eservices.identity.models import Representation
from eservices.units import staff


def representations_for_staff(user) -> QuerySet:
    """Representations of companies that are parties in case files of the user's units."""
    companies = Party.objects.filter(staff.of_my_units(user, "case_file__unit"), company__isnull=False).values(
        "company_id"
    )
    return Representation.objects.filter(company_id__in=companies).select_related("company", "user")
