"""Recording audit events; every use case of every app calls :func:`record`."""

from django.utils import timezone

from .models import AuditEvent


def client_address(request):
    """The client's address as the server saw it (the trusted proxy sets REMOTE_ADDR in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, actor=None, capacity="", target=None, request=None, details=None):
    """Append one event to the trail, in the caller's transaction.

    ``action`` is a dotted name such as ``casefile.viewed``; ``target`` is the model instance acted on.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor)[:200] if actor is not None else "",
        capacity=capacity or "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        client_address=client_address(request),
        details=details or {},
    )
