"""Retention: what is removed from case files closed longer than the configured periods (``settings.RETENTION``).

For each kind of record a period in days after the case file's closing date (``None``: kept for ever):

- ``documents``: the documents' bytes are deleted from storage; the document's row (title, date, size, SHA-256)
  stays, so that what existed can still be told, and it is no longer served (``Document.is_released``);
- ``personal_data``: the parties' names, INAMI numbers, national number hashes and account links, and the free
  texts of access requests made on the case file (message, information asked and given, refusal explanation);
- ``deposit_files``: the bytes of the files deposited for the case file (the stored file's row, with its name, size
  and SHA-256, stays; so does the proof of deposit, which lists them);
- ``supporting_documents``: the bytes of the supporting documents (mandates) of access requests made on the case
  file (rows stay, as above);
- ``messages``: the subject and text of the mailbox messages of the case file (the message's row, its dates and
  its digest in the evidence stay; its documents are the case file's, under ``documents``);
- ``evidence``: the evidence events about the case file, its documents, its deposits and its messages (kept for
  ever by default). This is the only deletion of evidence: a PostgreSQL trigger refuses any other. The proofs of
  deposit and the evidence events outlive the documents they prove: their periods are counted apart.

Each case file from which something was removed gets one ``retention.applied`` audit event with the counts, in
the transaction of the removal (``services.apply_retention``: this module plans and removes, the service locks,
calls it and records). A case file on legal hold (``CaseFile.legal_hold_since``, placed by its unit's
staff) is skipped whatever its dates.
The audit trail itself is never touched: it is append-only (a PostgreSQL trigger refuses UPDATE and DELETE).

What of the apps above the case files goes (access requests' texts, the evidence of deposits and messages) is
theirs to name or remove, in the same transaction: :data:`.signals.personal_data_due` and
:data:`.signals.evidence_subjects`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from eservices.evidence import services as evidence

from .models import CaseFile, Document, Party
from .signals import evidence_subjects, personal_data_due, records_due

REMOVED_NAME = "[removed]"


def today():
    """The date retention counts from (a function, so that tests can fix the clock)."""
    return timezone.localdate()


@dataclass
class Removed:
    case_file: CaseFile
    counts: dict = field(default_factory=dict)

    @property
    def anything(self):
        return any(self.counts.values())


def _closed_before(period_days, on):
    if period_days is None:
        return CaseFile.objects.none()
    cutoff = on - datetime.timedelta(days=period_days)
    return CaseFile.objects.filter(status=CaseFile.Status.CLOSED, closed_on__isnull=False, closed_on__lt=cutoff)


def _remove_documents(case_file, *, dry_run):
    documents = list(Document.objects.filter(case_file=case_file).exclude(file=""))
    if not dry_run:
        names = [document.file.name for document in documents]
        Document.objects.filter(pk__in=[document.pk for document in documents]).update(file="")
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(documents)


def _personal_data_above(case_file, *, dry_run):
    """What the apps above the case files removed (or would remove) of their personal data, added up by name."""
    counts = {}
    for _receiver, answer in personal_data_due.send(sender=CaseFile, case_file=case_file, dry_run=dry_run):
        for name, count in answer.items():
            counts[name] = counts.get(name, 0) + count
    return counts


def _remove_personal_data(case_file, *, dry_run):
    parties = Party.objects.filter(case_file=case_file).exclude(
        display_name=REMOVED_NAME, inami_number="", nrn_hash="", user=None
    )
    counts = {"parties": parties.count()}
    if not dry_run:
        parties.update(display_name=REMOVED_NAME, inami_number="", nrn_hash="", user=None)
    return counts | _personal_data_above(case_file, dry_run=dry_run)


def remove_stored_files(stored_files, *, dry_run: bool) -> int:
    """Delete the bytes of stored files (after commit) and mark their rows; the rows, with their names, sizes and
    SHA-256, stay as a record. The apps above call it for the files they hang from a case file (``records_due``)."""
    from eservices.intake.models import StoredFile

    files = list(StoredFile.objects.filter(pk__in=[item.pk for item in stored_files], removed_at__isnull=True))
    if not dry_run and files:
        keys = [item.storage_key for item in files]
        StoredFile.objects.filter(pk__in=[item.pk for item in files]).update(removed_at=timezone.now())

        def delete_bytes() -> None:
            for key in keys:
                default_storage.delete(key)

        transaction.on_commit(delete_bytes)
    return len(files)


# The kinds the apps above remove themselves, through ``signals.records_due`` (deposits, access, mailbox).
KINDS_ABOVE = ("deposit_files", "supporting_documents", "messages")
KINDS = ("documents", "personal_data", *KINDS_ABOVE, "evidence")


def _remove_above(case_file, kind, *, dry_run):
    return sum(
        count for _receiver, count in records_due.send(CaseFile, case_file=case_file, kind=kind, dry_run=dry_run)
    )


def due(on):
    """The case files past at least one period, each with the removals due (by kind of record)."""
    due = {}
    for kind in KINDS:
        for pk in _closed_before(settings.RETENTION.get(kind), on).values_list("pk", flat=True):
            due.setdefault(pk, []).append(kind)
    return due


def _remove_evidence(case_file, *, dry_run):
    """The evidence of the case file, its documents and what the apps above hang from it (deposits, messages)."""
    subjects = [case_file, *case_file.documents.all()]
    for _receiver, answer in evidence_subjects.send(sender=CaseFile, case_file=case_file):
        subjects += answer
    if dry_run:
        return sum(evidence.events_for(subject).count() for subject in subjects)
    return evidence.remove_events(subjects)


def remove(case_file, kinds, *, dry_run):
    """Remove (or, with ``dry_run``, count) the records of ``kinds`` due on ``case_file``, in the caller's
    transaction (``services.apply_retention``, which records them)."""
    entry = Removed(case_file)
    if "documents" in kinds:
        entry.counts["documents"] = _remove_documents(case_file, dry_run=dry_run)
    if "personal_data" in kinds:
        entry.counts.update(_remove_personal_data(case_file, dry_run=dry_run))
    for kind in KINDS_ABOVE:
        if kind in kinds:
            entry.counts[kind] = _remove_above(case_file, kind, dry_run=dry_run)
    if "evidence" in kinds:
        entry.counts["evidence"] = _remove_evidence(case_file, dry_run=dry_run)
    return entry
