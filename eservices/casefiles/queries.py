"""Reads the screens need; each is scoped to what the reader may see."""

from .models import CaseFile


def case_files_for_staff(user):
    """Case files of the units the staff member belongs to, with what the list shows."""
    return CaseFile.objects.filter(unit__memberships__user=user).select_related("unit").distinct()
