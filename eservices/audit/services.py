"""Recording audit events; every use case of every app calls :func:`record`."""

import base64
import dataclasses
import datetime
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from eservices.core import clients
from eservices.signing import services as signing
from eservices.units.models import Unit

from . import chain
from .models import AuditCheckpoint, AuditEvent
from .queries import reader_role

# One JSON line per event (see ``eservices.core.logs.JsonFormatter``), for the separate log store.
logger = logging.getLogger("eservices.audit")

# How far the time a checkpoint's token states may be from the checkpoint's own time (the TSA is asked at once).
CHECKPOINT_TOKEN_TOLERANCE = datetime.timedelta(minutes=5)


def client_address(request):
    """The client's address (``core.clients``: behind the trusted proxies, the one the outermost of them saw)."""
    if request is None:
        return None
    address = clients.client_address(request)
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
    ``unit`` (optional) is the unit concerned when the target does not tell it. A request made by an API client
    (``request.api_client``) records the capacity ``api_client`` and the client's name in the details.
    The entry is one INSERT, with no lock (the database assigns its id), stamped as the portal's; the sequencer
    seals it into the chain within ``AUDIT_SEAL_INTERVAL`` (``AUDIT_SEALING = "sequencer"``), or this call seals
    it as it writes it, under the chain's lock (``"inline"``, the embedded default: the chain is then whole at
    every commit). It is logged as one JSON line once the caller's transaction commits.
    """
    if actor is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        actor = request.user
    # A registered system calling the API (eservices/api): its account is the actor, the client is named.
    api_client = getattr(request, "api_client", "") if request is not None else ""
    if api_client:
        capacity = capacity or "api_client"
        details = {**(details or {}), "api_client": api_client}
    event = AuditEvent(
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
    event.stamp = chain.stamp(event)
    # No savepoint: if the append fails, the caller's transaction cannot commit anyway.
    with transaction.atomic(savepoint=False):
        if settings.AUDIT_SEALING == "inline":
            # Sealed as it is written, under the chain's lock held to the end of the caller's transaction.
            chain.lock_chain()
            sequence, previous_hash = _head()
            event.sequence, event.previous_hash, event.sealed_at = sequence + 1, previous_hash, event.occurred_at
            event.entry_hash = chain.entry_hash(event)
            event.seal = chain.seal(event.entry_hash)
        event.save(force_insert=True)
    transaction.on_commit(lambda: log_event(event))
    return event


# Ids of entries the sequencer refused (stamp not the portal's), logged once per process; verify_audit names them.
_refused: set[int] = set()


def _head():
    """The sealed head of the chain: (sequence, entry hash), (0, GENESIS) when empty."""
    head = (
        AuditEvent.objects.filter(sequence__isnull=False)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    return head if head else (0, chain.GENESIS)


def seal_pending(limit: int | None = 5000, *, log: bool = True) -> list[AuditEvent]:
    """Seal the entries written but not sealed yet into the chain, oldest id first, in one transaction: the
    sequencer's batch. Returns the entries sealed (their ``sequence`` is their place in the chain).

    Under the chain's lock (only sealers take it), the head is read, each entry gets the next sequence number,
    the hash of the one before, its own hash and its seal, and one statement writes them (the append-only
    trigger lets an entry's empty seal columns be filled once, nothing else). An entry whose stamp is not the
    portal's is left unsealed and logged: ``verify_audit`` reports it. ``log``: one log line for the batch
    (not when sealing inline: each entry's own line then carries its place).
    """
    with transaction.atomic():
        chain.lock_chain()
        sequence, previous_hash = _head()
        pending = AuditEvent.objects.filter(sequence__isnull=True).order_by("id")
        if limit is not None:
            pending = pending[:limit]
        sealed_at = timezone.now()
        sealed = []
        for event in pending:
            if not chain.stamp_is_valid(event):
                if event.pk not in _refused:
                    _refused.add(event.pk)
                    logger.error(
                        "audit entry not sealed: its stamp is not the portal's",
                        extra={"event": {"action": "audit.refused", "id": event.pk}},
                    )
                continue
            sequence += 1
            event.sequence, event.previous_hash, event.sealed_at = sequence, previous_hash, sealed_at
            event.entry_hash = chain.entry_hash(event)
            event.seal = chain.seal(event.entry_hash)
            previous_hash = event.entry_hash
            sealed.append(event)
        if sealed:
            _write_seals(sealed, sealed_at)
            if log:
                transaction.on_commit(lambda: log_batch(sealed))
    return sealed


def _write_seals(sealed, sealed_at):
    """Fill the seal columns of ``sealed`` in one statement (PostgreSQL: arrays unnested; SQLite: executemany)."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS e SET sequence = v.sequence, previous_hash = v.previous_hash, "  # noqa: S608 # nosec B608 - the model's table name, values as parameters
                "entry_hash = v.entry_hash, seal = v.seal, sealed_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, sequence, previous_hash, entry_hash, seal) WHERE e.id = v.id AND e.sequence IS NULL",
                [
                    sealed_at,
                    [event.pk for event in sealed],
                    [event.sequence for event in sealed],
                    [event.previous_hash for event in sealed],
                    [event.entry_hash for event in sealed],
                    [event.seal for event in sealed],
                ],
            )
            written = cursor.rowcount
        else:
            cursor.executemany(
                f"UPDATE {table} SET sequence = %s, previous_hash = %s, entry_hash = %s, seal = %s, "  # noqa: S608 # nosec B608 - the model's table name, values as parameters
                "sealed_at = %s WHERE id = %s AND sequence IS NULL",
                [
                    (event.sequence, event.previous_hash, event.entry_hash, event.seal, sealed_at, event.pk)
                    for event in sealed
                ],
            )
            written = len(sealed) if cursor.rowcount in (-1, None) else cursor.rowcount
    if written != len(sealed):  # another sealer got there first: nothing of this batch may stand
        raise RuntimeError(f"audit sealing: {written} of {len(sealed)} entries written, batch rolled back")


def log_batch(sealed):
    """One log line per sealed batch: its range and its head, for the separate log store to hold the chain to."""
    logger.info(
        "audit batch sealed %s-%s",
        sealed[0].sequence,
        sealed[-1].sequence,
        extra={
            "event": {
                "action": "audit.sealed",
                "first": sealed[0].sequence,
                "last": sealed[-1].sequence,
                "entries": len(sealed),
                "head_hash": sealed[-1].entry_hash,
                "sealed_at": chain.utc_timestamp(sealed[-1].sealed_at),
            }
        },
    )


def log_event(event):
    """Write the event as one structured log line (JSON: a CR, LF or ANSI escape in a field stays escaped)."""
    logger.info(
        "audit event %s",
        event.action,
        extra={
            "event": {
                "id": event.pk,
                "sequence": event.sequence,  # None until sealed (the batch's own line then gives the head)
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


def check_checkpoint_token(saved):
    """Why a checkpoint's RFC 3161 time-stamp is not acceptable, or ``None`` when it is.

    The token must be valid, from a trusted time-stamping authority, over this checkpoint's digest, and state a
    time close to the checkpoint's own (it was asked for right after that time was taken).
    """
    if not saved.timestamp_token:
        return "has no time-stamp token"
    result = signing.check_timestamp_token(bytes(saved.timestamp_token), bytes.fromhex(saved.digest))
    if not result.ok:
        return "its time-stamp token is not valid (altered, from an untrusted authority, or over another digest)"
    if result.time is None or abs(result.time - saved.created_at) > CHECKPOINT_TOKEN_TOLERANCE:
        return "its time-stamp token states another time than the checkpoint"
    return None


def verify_chain(exported=(), *, bound=None):
    """Check the whole trail against itself and its time-stamped checkpoints (those of the database and the
    ``exported`` ones, read from outside it by :func:`read_exported_checkpoints`); see :func:`chain.verify`.

    Also reports the entries not sealed yet: those older than ``bound`` seconds (``AUDIT_SEAL_BOUND`` by
    default; the sequencer is late or stopped) and those whose stamp is not the portal's.
    """
    unsealed = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id"))
    events = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=2000)
    # Each exported checkpoint is checked even when the database holds the same one: the file is not trusted.
    checkpoints = sorted(
        [*AuditCheckpoint.objects.all(), *exported], key=lambda saved: (saved.sequence, saved.created_at)
    )
    report = chain.verify(events, checkpoints, check_checkpoint=check_checkpoint_token)
    limit = timezone.now() - datetime.timedelta(seconds=settings.AUDIT_SEAL_BOUND if bound is None else bound)
    return dataclasses.replace(
        report,
        unsealed=len(unsealed),
        overdue=tuple(event.pk for event in unsealed if event.occurred_at < limit),
        unstamped=tuple(event.pk for event in unsealed if not chain.stamp_is_valid(event)),
    )


def checkpoint():
    """Record the chain's sealed head now (what the sequencer has sealed: it covers every sealed batch up to
    it), time-stamped by the time-stamping authority: a later cut of the chain's end,
    or a rewrite of the chain up to the head, is then detectable.

    The head is read, its digest time-stamped (outside any transaction: the TSA call holds no lock), and only
    then is the row written, with its token (rows are never updated), and appended to
    ``AUDIT_CHECKPOINT_FILE`` outside the database before the row commits. Raises
    ``signing.SigningUnavailable``, writing nothing, when the authority does not answer, and ``OSError``,
    writing nothing, when the file cannot be appended to.
    """
    sequence, head_hash = _head()
    created_at = timezone.now()
    digest = chain.checkpoint_digest(sequence, head_hash, created_at)
    token = signing.timestamp_digest(bytes.fromhex(digest))
    with transaction.atomic():
        saved = AuditCheckpoint.objects.create(
            created_at=created_at, sequence=sequence, entry_hash=head_hash, digest=digest, timestamp_token=token
        )
        export_checkpoint(saved)
        transaction.on_commit(lambda: log_checkpoint(saved))
    return saved


def checkpoint_statement(saved):
    """A checkpoint as JSON: what the log line and the exported file say of it (its token in base64)."""
    return {
        "checkpoint": saved.pk,
        "sequence": saved.sequence,
        "entry_hash": saved.entry_hash,
        "digest": saved.digest,
        "created_at": chain.utc_timestamp(saved.created_at),
        "timestamp_token": base64.b64encode(bytes(saved.timestamp_token)).decode("ascii"),
    }


def export_checkpoint(saved):
    """Append the checkpoint as one JSON line to ``AUDIT_CHECKPOINT_FILE``, flushed to the disk (O_APPEND: lines
    are only ever added)."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint_statement(saved), sort_keys=True, separators=(",", ":")) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class ExportedCheckpoint:
    """A checkpoint as read back from the file outside the database (see :func:`export_checkpoint`)."""

    pk: int
    sequence: int
    entry_hash: str
    digest: str
    created_at: datetime.datetime
    timestamp_token: bytes


class UnreadableCheckpoints(ValueError):
    """The exported checkpoints' file cannot be read, or one of its lines is not a checkpoint."""


def read_exported_checkpoints(path):
    """The checkpoints of a file written by :func:`export_checkpoint`; ``UnreadableCheckpoints`` naming the line
    that is not one. Their digests and time-stamp tokens are checked by :func:`verify_chain`, as those in the
    database are."""
    try:
        lines = Path(path).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableCheckpoints(f"cannot read {path}: {error}") from error
    exported = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            exported.append(
                ExportedCheckpoint(
                    pk=int(data["checkpoint"]),
                    sequence=int(data["sequence"]),
                    entry_hash=str(data["entry_hash"]),
                    digest=str(data["digest"]),
                    created_at=datetime.datetime.strptime(data["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                        tzinfo=datetime.UTC
                    ),
                    timestamp_token=base64.b64decode(data["timestamp_token"], validate=True),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise UnreadableCheckpoints(f"{path}, line {number}: not a checkpoint ({error})") from error
    return exported


def log_checkpoint(saved):
    """Write the checkpoint as one structured log line, with its token, for the separate log store."""
    logger.info("audit checkpoint %s", saved.sequence, extra={"event": checkpoint_statement(saved)})


# Reading the trail (unit leads and functional administrators) -------------------------------------------------


def _reader_capacity(actor):
    """The actor's capacity as a reader of the trail (``queries.reader_role``); PermissionDenied for others."""
    capacity = reader_role(actor)
    if capacity is None:
        raise PermissionDenied
    return capacity


@transaction.atomic
def record_search(*, actor, filters, page, results, request=None):
    """Every search of the trail is itself recorded (its filters, the page shown, how many events matched)."""
    return record(
        "audit.searched",
        actor=actor,
        capacity=_reader_capacity(actor),
        request=request,
        details={"filters": filters, "page": page, "results": results},
    )


@transaction.atomic
def record_export(*, actor, filters, fmt, results, request=None):
    """An export of the trail is recorded before its first byte is sent."""
    return record(
        "audit.exported",
        actor=actor,
        capacity=_reader_capacity(actor),
        request=request,
        details={"filters": filters, "format": fmt, "results": results},
    )
