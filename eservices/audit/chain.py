"""The hash chain of the audit trail: how an entry commits to the one before, and how the chain is checked.

A request writes an entry with its content and a stamp (an HMAC of that content under the seal key: the
sequencer seals nothing the portal did not write); the sequencer then gives it its place in the chain. Each
sealed entry carries a gapless sequence number, the hash of the entry before it (``GENESIS`` for the first), its
own hash: SHA-256 over a canonical JSON of all its fields (keys sorted, no spaces, UTF-8, the time in UTC to the
microsecond), and a seal: an HMAC of that hash under a key the database does not hold. Editing, deleting,
inserting or reordering entries breaks the chain at the first entry concerned; an entry written straight into
the database has no valid seal; cutting entries off the end is found against the last checkpoint.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

GENESIS = "0" * 64

# The key of the PostgreSQL advisory lock that serialises sealing (an arbitrary 64-bit constant: "SECMAUDT").
CHAIN_LOCK_KEY = 0x5345434D41554454

HASHED_FIELDS = (
    "sequence",
    "previous_hash",
    "occurred_at",
    "actor_id",
    "actor_label",
    "capacity",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "unit_code",
    "client_address",
    "details",
)


# What the request knows when it writes the entry: everything but its place in the chain.
CONTENT_FIELDS = tuple(name for name in HASHED_FIELDS if name not in ("sequence", "previous_hash"))


def utc_timestamp(moment):
    """A fixed-width UTC form of an aware datetime: ``2026-11-23T10:04:05.123456Z``."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_fields(event):
    """The fields an entry's hash covers, as JSON values."""
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["occurred_at"] = utc_timestamp(event.occurred_at)
    return fields


def entry_hash(event):
    return hashlib.sha256(canonical_json(entry_fields(event))).hexdigest()


def stamp(event, key=None):
    """The request's stamp on an entry's content: HMAC-SHA256 under the seal key of its canonical JSON.

    The sequencer seals only entries whose stamp is valid, so that a row inserted straight into the database's
    queue is not laundered into the chain.
    """
    key = key if key is not None else settings.AUDIT_SEAL_KEY
    fields = entry_fields(event)
    content = {name: fields[name] for name in CONTENT_FIELDS}
    return hmac.new(key.encode(), b"stamp:" + canonical_json(content), hashlib.sha256).hexdigest()


def stamp_is_valid(event):
    keys = [settings.AUDIT_SEAL_KEY, *settings.AUDIT_SEAL_KEY_FALLBACKS]
    return bool(event.stamp) and any(hmac.compare_digest(stamp(event, key), event.stamp) for key in keys)


def seal(hash_value, key=None):
    """The entry's seal: HMAC-SHA256 of its hash under the seal key, which the database does not hold.

    The chain of hashes can be checked by anyone; the seal shows that the portal itself wrote the entry, so
    that an entry appended or a chain rewritten straight in the database is found even after the last checkpoint.
    """
    key = key if key is not None else settings.AUDIT_SEAL_KEY
    return hmac.new(key.encode(), hash_value.encode(), hashlib.sha256).hexdigest()


def seal_is_valid(event):
    keys = [settings.AUDIT_SEAL_KEY, *settings.AUDIT_SEAL_KEY_FALLBACKS]
    return any(hmac.compare_digest(seal(event.entry_hash, key), event.seal) for key in keys)


def checkpoint_digest(sequence, head_hash, created_at):
    """What a checkpoint states, as one SHA-256: the value a time-stamping authority is asked to sign."""
    statement = {"sequence": sequence, "entry_hash": head_hash, "created_at": utc_timestamp(created_at)}
    return hashlib.sha256(canonical_json(statement)).hexdigest()


def lock_chain():
    """Serialise sealing until the end of the current transaction (requests that only insert never take it).

    PostgreSQL: a transaction-scoped advisory lock, so two sequencers (a lease's holder and one that took over
    while it hung) never read the same head and fork the chain (the unique sequence number would refuse a fork
    anyway). SQLite: every transaction already starts with ``BEGIN IMMEDIATE`` (config/settings.py), which
    holds the database's single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@dataclass(frozen=True)
class Break:
    """The first place where the chain is not what it should be."""

    sequence: int
    event_id: int | None
    reason: str
    subject: str = ""

    def __str__(self):
        where = self.subject or f"entry #{self.sequence}"
        where += f" (id {self.event_id})" if self.event_id is not None else ""
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Report:
    entries: int
    head_sequence: int
    head_hash: str
    checkpoints: int
    first_break: Break | None
    unsealed: int = 0  # entries written but not sealed into the chain yet
    overdue: tuple = ()  # ids of entries unsealed for longer than the bound (the sequencer is not running?)
    unstamped: tuple = ()  # ids of unsealed entries whose stamp is not the portal's (written outside it)

    @property
    def intact(self):
        return self.first_break is None

    @property
    def sound(self):
        """Intact, every entry sealed within the bound, and nothing in the queue the portal did not write."""
        return self.intact and not self.overdue and not self.unstamped


def verify(events, checkpoints, check_checkpoint=None):
    """Walk ``events`` (ordered by sequence) and compare them with ``checkpoints``; return a :class:`Report`.

    ``check_checkpoint(checkpoint)``, when given, says why a checkpoint's time-stamp is not acceptable (or
    ``None``): a checkpoint without a valid time-stamp proves nothing about when the chain had that head.
    """
    expected_sequence, previous, count = 1, GENESIS, 0
    checkpoints = list(checkpoints)
    wanted = {checkpoint.sequence: checkpoint for checkpoint in checkpoints}
    first_break = None
    for checkpoint in checkpoints:
        if checkpoint.digest != checkpoint_digest(checkpoint.sequence, checkpoint.entry_hash, checkpoint.created_at):
            first_break = Break(
                checkpoint.sequence,
                None,
                "altered: its digest no longer matches what it states",
                subject=f"checkpoint {checkpoint.pk} (head #{checkpoint.sequence})",
            )
            return Report(0, 0, GENESIS, len(checkpoints), first_break)
        problem = check_checkpoint(checkpoint) if check_checkpoint is not None else None
        if problem:
            first_break = Break(
                checkpoint.sequence, None, problem, subject=f"checkpoint {checkpoint.pk} (head #{checkpoint.sequence})"
            )
            return Report(0, 0, GENESIS, len(checkpoints), first_break)
    for event in events:
        count += 1
        if event.sequence != expected_sequence:
            first_break = Break(
                event.sequence,
                event.pk,
                f"out of sequence: entry #{expected_sequence} was expected here (missing, inserted or reordered)",
            )
            break
        if event.previous_hash != previous:
            first_break = Break(
                event.sequence, event.pk, "does not follow the entry before it (inserted, removed or reordered)"
            )
            break
        if entry_hash(event) != event.entry_hash:
            first_break = Break(event.sequence, event.pk, "altered: its content no longer matches its hash")
            break
        if not seal_is_valid(event):
            first_break = Break(event.sequence, event.pk, "not sealed by the portal (written outside it)")
            break
        checkpoint = wanted.get(event.sequence)
        if checkpoint is not None and checkpoint.entry_hash != event.entry_hash:
            first_break = Break(
                event.sequence,
                event.pk,
                f"differs from the checkpoint of {utc_timestamp(checkpoint.created_at)} (chain rewritten)",
            )
            break
        previous = event.entry_hash
        expected_sequence += 1
    head_sequence = expected_sequence - 1
    if first_break is None:
        for checkpoint in checkpoints:
            if checkpoint.digest != checkpoint_digest(
                checkpoint.sequence, checkpoint.entry_hash, checkpoint.created_at
            ):
                first_break = Break(checkpoint.sequence, None, f"checkpoint {checkpoint.pk} was altered")
                break
            if checkpoint.sequence > head_sequence:
                first_break = Break(
                    head_sequence + 1,
                    None,
                    f"missing: the chain ends at #{head_sequence} but the checkpoint of "
                    f"{utc_timestamp(checkpoint.created_at)} recorded #{checkpoint.sequence} (truncated)",
                )
                break
    return Report(
        entries=count,
        head_sequence=head_sequence,
        head_hash=previous,
        checkpoints=len(checkpoints),
        first_break=first_break,
    )
