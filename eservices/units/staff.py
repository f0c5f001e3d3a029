"""The one answer to "is this actor staff of this unit, and in which role" (issue 11).

Every app's abilities, queries and services ask here instead of reading ``StaffMembership`` themselves, so that a
rule about staff (a membership, a role) is written once; ``core/tests/test_architecture.py`` fails on a membership
lookup written anywhere else.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import StaffMembership, StaffRole, Unit


def _memberships(user, roles=()) -> QuerySet:
    if user is None or not user.is_authenticated:
        return StaffMembership.objects.none()
    memberships = StaffMembership.objects.filter(user=user)
    return memberships.filter(role__in=roles) if roles else memberships


def _unit_id(unit) -> int | None:
    return getattr(unit, "pk", unit)


def is_staff(user, roles=()) -> bool:
    """Whether the user is a member of any unit (in one of ``roles`` when given)."""
    return _memberships(user, roles).exists()


def is_staff_of(user, unit, roles=()) -> bool:
    """Whether the user is a member of ``unit`` (a unit or its id), in one of ``roles`` when given."""
    unit_id = _unit_id(unit)
    return unit_id is not None and _memberships(user, roles).filter(unit_id=unit_id).exists()


def is_administrator(user) -> bool:
    """A functional administrator (of any unit): they manage what concerns every unit (memberships, holidays)."""
    return is_staff(user, roles=(StaffRole.ADMINISTRATOR,))


def roles_of(user) -> set[str]:
    """The user's roles, all units together."""
    return set(_memberships(user).values_list("role", flat=True))


def unit_ids_of(user, roles=()) -> QuerySet:
    """The ids of the user's units (as a subquery), in one of ``roles`` when given."""
    return _memberships(user, roles).values("unit_id")


def units_of(user, roles=()) -> QuerySet:
    """The user's units (in one of ``roles`` when given)."""
    return Unit.objects.filter(pk__in=unit_ids_of(user, roles))


def of_my_units(user, field="unit", roles=()) -> Q:
    """A filter on any model with a path ``field`` to a unit: the rows of the user's units."""
    return Q(**{f"{field}__in": unit_ids_of(user, roles)})


def require_administrator(user) -> None:
    """Raise ``PermissionDenied`` unless the user is a functional administrator (or a superuser, in the break-glass
    admin): what concerns every unit (accounts, memberships, public holidays) is theirs to change."""
    if not (getattr(user, "is_superuser", False) or is_administrator(user)):
        raise PermissionDenied


def require_staff_of(user, unit, roles=()) -> None:
    """Raise ``PermissionDenied`` unless the user is staff of ``unit`` (in one of ``roles`` when given): the check
    every state-changing service of a unit's objects makes, whoever calls it (a view, the admin, a command)."""
    if not is_staff_of(user, unit, roles):
        raise PermissionDenied
