"""Reads about people that other apps use: who may act for which company, where alerts may go."""

from django.db.models import QuerySet

from .models import Company, Representation, User
from .types import Actor


def companies_represented_by(user: Actor) -> QuerySet[Company]:
    """The companies ``user`` may act for now: confirmed representations only (not requested, refused, ended)."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(
        representations__user=user, representations__status=Representation.Status.CONFIRMED
    ).distinct()


def can_act_for(user: Actor, company: Company) -> bool:
    return companies_represented_by(user).filter(pk=company.pk).exists()


def alert_address(user: User) -> str:
    """The e-mail address alerts may go to: only once confirmed by its link, else ``""``."""
    return user.email if user.email and user.email_confirmed_at else ""


def representations_of(user: User) -> QuerySet[Representation]:
    return Representation.objects.filter(user=user).select_related("company").order_by("-requested_at")


def pending_representations() -> QuerySet[Representation]:
    """Requests waiting for a staff decision, oldest first."""
    return (
        Representation.objects.filter(status=Representation.Status.REQUESTED)
        .select_related("user", "company", "document")
        .order_by("requested_at")
    )
