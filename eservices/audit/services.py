"""Recording audit events; every use case of every app calls :func:`record`."""

import json
import logging

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from eservices.units.models import Unit

from . import chain
from .models import AuditCheckpoint, AuditEvent

# One JSON line per event (see ``eservices.core.logging.JsonFormatter``), for the separate log store.
logger = logging.getLogger("eservices.audit")


def client_address(request):
    """The client's address as the server saw it (the trusted proxy sets REMOTE_ADDR in production)."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or ""
    if ":" in address:
        try:
            return clean_ipv6_address(address)
        except ValidationError:
            return None
    return address or None


def _text(value, limit):
    """A label as stored: bounded, without the NUL character PostgreSQL refuses."""
    return str(value).replace("\x00", "\ufffd")[:limit]


def _json_details(details):
    """The details as the database gives them back: plain JSON, dates and ids as strings, no NUL."""
    text = json.dumps(details or {}, cls=DjangoJSONEncoder).replace("\\u0000", "\\ufffd")
    return json.loads(text)


def _unit_code(target, unit):
    """The unit an event concerns: given, the target itself, or the target's (case file's) unit."""
    if unit is not None:
        return unit.code
    candidates = [target, getattr(target, "unit", None), getattr(getattr(target, "case_file", None), "unit", None)]
    for candidate in candidates:
        if isinstance(candidate, Unit):
            return candidate.code
    return ""


def record(action, *, actor=None, capacity="", target=None, request=None, details=None, unit=None):
    """Append one event to the trail, in the caller's transaction.

    ``action`` is a dotted name such as ``casefile.viewed``; ``target`` is the model instance acted on;
    ``unit`` (optional) is the unit concerned when the target does not tell it. The entry is chained to the
    one before it under a lock held until the caller's transaction ends, and logged as one JSON line once
    that transaction commits.
    """
    if actor is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        actor = request.user
    # No savepoint: if the append fails, the caller's transaction cannot commit anyway.
    with transaction.atomic(savepoint=False):
        chain.lock_chain()
        head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
        sequence, previous_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
        event = AuditEvent(
            sequence=sequence,
            previous_hash=previous_hash,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=_text(actor, 200) if actor is not None else "",
            capacity=_text(capacity or "", 40),
            action=_text(action, 60),
            object_type=target._meta.label_lower if target is not None else "",
            object_id=_text(target.pk, 64) if target is not None else "",
            object_repr=_text(target, 300) if target is not None else "",
            unit_code=_unit_code(target, unit),
            client_address=client_address(request),
            details=_json_details(details),
        )
        event.entry_hash = chain.entry_hash(event)
        event.seal = chain.seal(event.entry_hash)
        event.save(force_insert=True)
    transaction.on_commit(lambda: log_event(event))
    return event


def log_event(event):
    """Write the event as one structured log line (JSON: a CR, LF or ANSI escape in a field stays escaped)."""
    logger.info(
        "audit event %s",
        event.action,
        extra={
            "event": {
                "sequence": event.sequence,
                "entry_hash": event.entry_hash,
                "occurred_at": chain.utc_timestamp(event.occurred_at),
                "action": event.action,
                "actor_id": event.actor_id,
                "actor": event.actor_label,
                "capacity": event.capacity,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "object": event.object_repr,
                "unit": event.unit_code,
                "client_address": event.client_address,
                "details": event.details,
            }
        },
    )


def verify_chain():
    """Check the whole trail against itself and its checkpoints; see :func:`chain.verify`."""
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    return chain.verify(events, AuditCheckpoint.objects.order_by("sequence", "id"))


@transaction.atomic
def checkpoint():
    """Record the chain's head now: a later cut of the chain's end is then detectable.

    The checkpoint is stored unsigned for now; its ``digest`` is what the time-stamping authority will sign.
    """
    chain.lock_chain()
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    sequence, head_hash = head if head else (0, chain.GENESIS)
    created_at = timezone.now()
    saved = AuditCheckpoint.objects.create(
        created_at=created_at,
        sequence=sequence,
        entry_hash=head_hash,
        digest=chain.checkpoint_digest(sequence, head_hash, created_at),
    )
    transaction.on_commit(
        lambda: logger.info(
            "audit checkpoint %s",
            saved.sequence,
            extra={
                "event": {
                    "checkpoint": saved.pk,
                    "sequence": saved.sequence,
                    "entry_hash": saved.entry_hash,
                    "digest": saved.digest,
                    "created_at": chain.utc_timestamp(saved.created_at),
                }
            },
        )
    )
    return saved
