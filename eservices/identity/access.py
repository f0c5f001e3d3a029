"""Who reaches the back office: members of a unit, strongly authenticated (docs/identity.md)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from eservices.units.models import StaffRole

from .sessions import is_strongly_authenticated


def staff_required(view):
    """Members of a unit, logged in at the staff level (eID Level500) or with a second factor; others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.memberships.exists():
            raise PermissionDenied
        if not is_strongly_authenticated(request):
            return render(request, "identity/strong_auth_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def is_administrator(user) -> bool:
    """A functional administrator of some unit: the one role that manages staff memberships."""
    return user.memberships.filter(role=StaffRole.ADMINISTRATOR).exists()


def administrator_required(view):
    """Functional administrators only (they manage staff memberships)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
