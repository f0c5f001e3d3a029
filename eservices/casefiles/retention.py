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
the transaction of the removal. A case file on legal hold (``CaseFile.legal_hold_since``, placed by its unit's
staff) is skipped whatever its dates.
The audit trail itself is never touched: it is append-only (a PostgreSQL trigger refuses UPDATE and DELETE).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from eservices.access.models import AccessRequest, SupportingDocument
from eservices.audit.services import record
from eservices.evidence import services as evidence

from .models import CaseFile, Document, Party

REMOVED_TEXT = "[removed]"

REMOVED_NAME = "[removed]"
ACCESS_REQUEST_TEXTS = ("message", "information_requested", "additional_information", "refusal_details")


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


def _remove_personal_data(case_file, *, dry_run):
    parties = Party.objects.filter(case_file=case_file).exclude(
        display_name=REMOVED_NAME, inami_number="", nrn_hash="", user=None
    )
    requests = AccessRequest.objects.filter(case_file=case_file)
    texts = requests.none()
    for name in ACCESS_REQUEST_TEXTS:
        texts |= requests.exclude(**{name: ""})
    counts = {"parties": parties.count(), "access_request_texts": texts.distinct().count()}
    if not dry_run:
        parties.update(display_name=REMOVED_NAME, inami_number="", nrn_hash="", user=None)
        requests.update(**dict.fromkeys(ACCESS_REQUEST_TEXTS, ""))
    return counts


def _remove_stored_files(stored_files, *, dry_run):
    """Delete the bytes of stored files (after commit) and mark their rows; the rows stay as a record."""
    from eservices.intake.models import StoredFile

    files = list(StoredFile.objects.filter(pk__in=[item.pk for item in stored_files], removed_at__isnull=True))
    if not dry_run and files:
        keys = [item.storage_key for item in files]
        StoredFile.objects.filter(pk__in=[item.pk for item in files]).update(removed_at=timezone.now())
        transaction.on_commit(lambda: [default_storage.delete(key) for key in keys])
    return len(files)


def _remove_deposit_files(case_file, *, dry_run):
    from eservices.intake.models import StoredFile

    return _remove_stored_files(StoredFile.objects.filter(deposit_file__deposit__case_file=case_file), dry_run=dry_run)


def _remove_supporting_documents(case_file, *, dry_run):
    from eservices.intake.models import StoredFile

    held = SupportingDocument.objects.filter(request__case_file=case_file).values_list("stored_file_id", flat=True)
    return _remove_stored_files(StoredFile.objects.filter(pk__in=list(held)), dry_run=dry_run)


def _remove_messages(case_file, *, dry_run):
    messages = case_file.messages.exclude(subject=REMOVED_TEXT, text="")
    count = messages.count()
    if not dry_run:
        messages.update(subject=REMOVED_TEXT, text="")
    return count


KINDS = ("documents", "personal_data", "deposit_files", "supporting_documents", "messages", "evidence")
REMOVERS = {
    "deposit_files": _remove_deposit_files,
    "supporting_documents": _remove_supporting_documents,
    "messages": _remove_messages,
}


def _due(on):
    """The case files past at least one period, each with the removals due (by kind of record)."""
    due = {}
    for kind in KINDS:
        for pk in _closed_before(settings.RETENTION.get(kind), on).values_list("pk", flat=True):
            due.setdefault(pk, []).append(kind)
    return due


def _remove_evidence(case_file, *, dry_run):
    """The evidence of the case file and of what hangs from it (its documents, deposits and messages)."""
    subjects = [
        case_file,
        *case_file.documents.all(),
        *case_file.deposits.all(),
        *case_file.messages.all(),
    ]
    if dry_run:
        return sum(evidence.events_for(subject).count() for subject in subjects)
    return evidence.remove_events(subjects)


def apply(*, on=None, dry_run=False):
    """Apply the retention periods as of ``on`` (default: today); return what was (or would be) removed.

    One transaction per case file: its row is locked (as placing a legal hold does), a held case file is left
    untouched, and the ``retention.applied`` event is written with the removals it counts, so that no removal is
    ever committed without its record.
    """
    on = on or today()
    removed = []
    for pk, kinds in sorted(_due(on).items()):
        with transaction.atomic():
            case_file = CaseFile.objects.select_for_update().filter(pk=pk, legal_hold_since__isnull=True).first()
            if case_file is None:  # held (or deleted) since it was listed
                continue
            entry = Removed(case_file)
            if "documents" in kinds:
                entry.counts["documents"] = _remove_documents(case_file, dry_run=dry_run)
            if "personal_data" in kinds:
                entry.counts.update(_remove_personal_data(case_file, dry_run=dry_run))
            for kind, remover in REMOVERS.items():
                if kind in kinds:
                    entry.counts[kind] = remover(case_file, dry_run=dry_run)
            if "evidence" in kinds:
                entry.counts["evidence"] = _remove_evidence(case_file, dry_run=dry_run)
            if not entry.anything:
                continue
            removed.append(entry)
            if not dry_run:
                record(
                    "retention.applied",
                    capacity="system",
                    target=case_file,
                    details={"on": on.isoformat(), "closed_on": case_file.closed_on.isoformat(), **entry.counts},
                )
    return removed
