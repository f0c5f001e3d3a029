"""Staff screens; each view checks that its reader is staff of the unit concerned."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render

from eservices.casefiles.queries import case_files_for_staff
from eservices.units.models import Unit


def staff_required(view):
    """Only members of a unit reach the back office."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.memberships.exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@staff_required
def dashboard(request):
    """The staff member's units with their number of case files by status."""
    units = Unit.objects.filter(memberships__user=request.user).annotate(case_file_count=Count("case_files"))
    case_files = case_files_for_staff(request.user)[:50]
    return render(request, "backoffice/dashboard.html", {"units": units, "case_files": case_files})
