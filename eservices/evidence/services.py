"""Recording evidence events; each is also an audit event, in the same transaction."""

from django.db import transaction
from django.utils import timezone

from eservices.audit.services import record

from .models import EvidenceEvent


@transaction.atomic
def record_event(event, *, subject, actor=None, capacity="", details=None, occurred_at=None, request=None):
    """State that ``event`` happened to ``subject`` (a deposit, a message, a document) at ``occurred_at``."""
    evidence = EvidenceEvent.objects.create(
        event=event,
        occurred_at=occurred_at or timezone.now(),
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor)[:200] if actor is not None else "",
        capacity=capacity,
        details=details or {},
    )
    record(f"evidence.{event}", actor=actor, capacity=capacity, target=subject, request=request, details=details)
    return evidence


def events_for(subject):
    """The evidence of one subject, oldest first."""
    return EvidenceEvent.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
