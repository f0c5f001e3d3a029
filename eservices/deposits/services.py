"""Use cases of deposits: submit (all files or none), sign the proof of deposit, triage in the back office."""

import dataclasses
import datetime
import hashlib
import logging
import zipfile

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.tasks import default_task_backend
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Document
from eservices.evidence import receipts
from eservices.evidence import services as evidence
from eservices.evidence.models import EvidenceEvent
from eservices.identity.models import Capacity, Representation
from eservices.notifications.services import queue_email

from .models import Deposit, DepositFile, add_working_days, deposit_storage_key

logger = logging.getLogger(__name__)

MB = 1_000_000
PDF, XLSX, XLS = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
)
EXTENSIONS = {".pdf": PDF, ".xlsx": XLSX, ".xls": XLS}
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def limits():
    """The limits stated on the form and checked in the browser and here."""
    return {
        "max_files": settings.DEPOSIT_MAX_FILES,
        "max_file_bytes": settings.DEPOSIT_MAX_FILE_MB * MB,
        "max_total_bytes": settings.DEPOSIT_MAX_TOTAL_MB * MB,
        "max_file_mb": settings.DEPOSIT_MAX_FILE_MB,
        "max_total_mb": settings.DEPOSIT_MAX_TOTAL_MB,
        "extensions": sorted(EXTENSIONS),
    }


# File storage -------------------------------------------------------------------------------------------------
# ONE function stands between deposits and the storage of their bytes, so that the intake pipeline
# (eservices/intake: type by content, structure, antivirus) can replace it without touching the rest.


@dataclasses.dataclass
class StoredFile:
    key: str
    name: str
    size: int
    sha256: str
    media_type: str


@dataclasses.dataclass
class Rejection:
    name: str
    reason: str


def _media_type_by_content(upload, head):
    """The media type the content shows (PDF, XLSX, XLS), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE2_MAGIC):
        return XLS
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def store_upload(upload):
    """Check one uploaded file (type by content, size) and store its bytes under a generated key.

    Returns a ``StoredFile`` (key, size, SHA-256, media type) or a ``Rejection`` with a translated reason.
    To be replaced by ``intake.services.receive(...)`` once the intake pipeline is on main.
    """
    name = upload.name or "file"
    size = upload.size or 0
    if size == 0:
        return Rejection(name, _("This file is empty."))
    if size > settings.DEPOSIT_MAX_FILE_MB * MB:
        return Rejection(name, _("This file is larger than %(max)s MB.") % {"max": settings.DEPOSIT_MAX_FILE_MB})
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(8)
    media_type = _media_type_by_content(upload, head)
    if media_type is None or EXTENSIONS.get(extension) != media_type:
        return Rejection(name, _("Only PDF, XLSX and XLS files are accepted; this file's content is not one of them."))
    upload.seek(0)
    reader = _HashingReader(upload.file)
    key = default_storage.save(deposit_storage_key(None, name), _LargeChunks(reader, name=name))
    if reader.hashed != size:  # the storage moved the file instead of reading it (local temporary upload)
        reader.digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks(1024 * 1024):
            reader.digest.update(chunk)
    return StoredFile(key=key, name=name, size=size, sha256=reader.digest.hexdigest(), media_type=media_type)


class _LargeChunks(File):
    """Read 1 MiB at a time (Django's default is 64 KiB): fewer calls per byte when storing large files."""

    DEFAULT_CHUNK_SIZE = 1024 * 1024


class _HashingReader:
    """A file whose bytes are hashed as the storage reads them, so that storing copies and hashes in one pass.

    Only bytes read in order are hashed: a storage that seeks back and reads again does not count them twice.
    """

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.hashed = 0

    def read(self, size=-1):
        start = self.raw.tell()
        data = self.raw.read(size)
        if start <= self.hashed < start + len(data):
            self.digest.update(memoryview(data)[self.hashed - start :])
            self.hashed = start + len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.raw, name)


def _discard(stored):
    for item in stored:
        try:
            default_storage.delete(item.key)
        except OSError:  # best effort: an orphan key holds no personal data by name
            logger.exception("could not delete %s", item.key)


# Submitting ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Verdict:
    name: str
    accepted: bool
    reason: str = ""


@dataclasses.dataclass
class SubmitResult:
    deposit: Deposit | None
    verdicts: list
    errors: list
    duplicate: bool = False

    @property
    def ok(self):
        return self.deposit is not None


def companies_represented(user):
    """The companies the user may act for (a confirmed, not ended representation)."""
    return [
        representation.company
        for representation in Representation.objects.filter(
            user=user, status=Representation.Status.CONFIRMED, ended_at__isnull=True
        ).select_related("company")
    ]


def submit(*, actor, capacity, case_file_reference, unit, message, files, idempotency_key, company=None, request=None):
    """Accept a deposit with all its files, or none of them.

    Each file gets a verdict; when any file is rejected nothing is kept and the rejection is evidence. A second
    submission with the same ``idempotency_key`` returns the first deposit. The proof of deposit is signed at
    once, after the commit; when the signer or the TSA fails, the deposit stays accepted at its time and the
    receipt is queued.
    """
    existing = Deposit.objects.filter(depositor=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return SubmitResult(deposit=existing, verdicts=[], errors=[], duplicate=True)
    errors = []
    case_file = CaseFile.objects.filter(reference=(case_file_reference or "").strip().upper()).first()
    if case_file is None:
        errors.append(_("No case file has this reference. Check it on the letter you received."))
    if capacity not in Capacity.values:
        errors.append(_("Choose the capacity in which you make this deposit."))
    if capacity == Capacity.COMPANY_REPRESENTATIVE and company not in companies_represented(actor):
        errors.append(_("Choose a company that you represent."))
    if capacity != Capacity.COMPANY_REPRESENTATIVE:
        company = None
    if not files:
        errors.append(_("Add at least one file."))
    if len(files) > settings.DEPOSIT_MAX_FILES:
        errors.append(_("A deposit holds at most %(max)s files.") % {"max": settings.DEPOSIT_MAX_FILES})
    if sum(upload.size or 0 for upload in files) > settings.DEPOSIT_MAX_TOTAL_MB * MB:
        errors.append(_("The files together exceed %(max)s MB.") % {"max": settings.DEPOSIT_MAX_TOTAL_MB})
    if errors:
        return SubmitResult(deposit=None, verdicts=[], errors=errors)

    outcomes = [store_upload(upload) for upload in files]
    stored = [outcome for outcome in outcomes if isinstance(outcome, StoredFile)]
    verdicts = [
        Verdict(outcome.name, isinstance(outcome, StoredFile), getattr(outcome, "reason", "")) for outcome in outcomes
    ]
    if len(stored) != len(outcomes):
        _discard(stored)
        _record_rejection(actor, capacity, case_file, verdicts, request)
        return SubmitResult(deposit=None, verdicts=verdicts, errors=[])
    try:
        deposit = _accept(actor, capacity, company, case_file, unit, message, stored, idempotency_key, request)
    except IntegrityError:
        # The same submission arrived twice at once: the other one won; keep it and drop these bytes.
        _discard(stored)
        existing = Deposit.objects.filter(depositor=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return SubmitResult(deposit=existing, verdicts=verdicts, errors=[], duplicate=True)
    except BaseException:
        _discard(stored)
        raise
    try:
        issue_receipt(deposit)
    except Exception:  # noqa: BLE001 - the deposit is accepted whatever happens to its receipt; it stays pending
        logger.exception("the receipt of %s could not be issued; it stays pending", deposit.number)
    return SubmitResult(deposit=deposit, verdicts=verdicts, errors=[])


@transaction.atomic
def _record_rejection(actor, capacity, case_file, verdicts, request):
    details = {"files": [{"name": v.name, "accepted": v.accepted, "reason": v.reason} for v in verdicts]}
    if case_file is not None:
        details["case_file"] = case_file.reference
    evidence.record_event(
        EvidenceEvent.Event.SUBMISSION_REJECTED,
        subject=case_file or actor,
        actor=actor,
        capacity=capacity,
        details=details,
        request=request,
    )


@transaction.atomic
def _accept(actor, capacity, company, case_file, unit, message, stored, idempotency_key, request):
    accepted_at = timezone.now().replace(microsecond=0)
    deposit = Deposit.objects.create(
        depositor=actor,
        capacity=capacity,
        company=company,
        case_file=case_file,
        unit=unit,
        message=message,
        message_sha256=hashlib.sha256(message.encode()).hexdigest() if message else "",
        idempotency_key=idempotency_key,
        accepted_at=accepted_at,
        triage_due_on=add_working_days(timezone.localdate(accepted_at), settings.DEPOSIT_TRIAGE_WORKING_DAYS),
    )
    deposit.number = f"DEP-{timezone.localtime(accepted_at):%Y}-{deposit.pk:06d}"  # the year in Brussels
    deposit.save(update_fields=["number"])
    for position, item in enumerate(stored, start=1):
        DepositFile.objects.create(
            deposit=deposit,
            position=position,
            file=item.key,
            original_filename=item.name[:255],
            media_type=item.media_type,
            size=item.size,
            sha256=item.sha256,
        )
    facts = receipt_facts(deposit)
    evidence.create_receipt(
        subject=deposit,
        number=deposit.number,
        facts=facts,
        language=actor.preferred_language,
        accepted_at=accepted_at,
    )
    evidence.record_event(
        EvidenceEvent.Event.SUBMISSION_ACCEPTED,
        subject=deposit,
        actor=actor,
        capacity=capacity,
        occurred_at=accepted_at,
        details={"number": deposit.number, "case_file": case_file.reference, "files": facts["files"]},
        request=request,
    )
    return deposit


def receipt_facts(deposit):
    """The facts a proof of deposit states (docs/evidence.md)."""
    unit = deposit.unit
    depositor = {"name": str(deposit.depositor), "capacity": deposit.capacity}
    if deposit.company_id:
        depositor["company"] = {"name": deposit.company.name, "number": deposit.company.company_number}
    return {
        "format": receipts.FORMAT,
        "deposit_number": deposit.number,
        "accepted_at": timezone.localtime(deposit.accepted_at, receipts.BRUSSELS).isoformat(),
        "depositor": depositor,
        "case_file": deposit.case_file.reference,
        "addressee_unit": {
            "code": unit.code,
            **{f"name_{code}": getattr(unit, f"name_{code}") for code in ("fr", "nl", "de", "en")},
        },
        "message_sha256": deposit.message_sha256,
        "files": [
            {"name": item.original_filename, "size": item.size, "sha256": item.sha256, "media_type": item.media_type}
            for item in deposit.files.all()
        ],
    }


# The proof of deposit -------------------------------------------------------------------------------------------


def receipt_of(deposit):
    return evidence.receipt_for(deposit)


def issue_receipt(deposit):
    """Sign the deposit's receipt now; if that fails, queue it (the deposit stays accepted at its time)."""
    receipt = receipt_of(deposit)
    if evidence.sign_receipt(receipt):
        _announce(deposit)
        return True
    if default_task_backend.supports_defer:
        from .tasks import sign_receipt_later  # noqa: PLC0415 - tasks import this module

        try:
            sign_receipt_later.using(run_after=timezone.now() + datetime.timedelta(minutes=1)).enqueue(deposit.pk)
        except Exception:  # noqa: BLE001 - sign_pending_receipts picks it up
            logger.exception("could not queue the receipt of %s", deposit.number)
    return False


def sign_pending_receipts():
    """Sign the receipts still pending (run by a task or by ``manage.py sign_pending_receipts``)."""
    signed = 0
    for receipt in evidence.pending_receipts().filter(subject_type=Deposit._meta.label_lower):
        deposit = Deposit.objects.filter(pk=receipt.subject_id).first()
        if deposit is not None and evidence.sign_receipt(receipt):
            _announce(deposit)
            signed += 1
    return signed


@transaction.atomic
def _announce(deposit):
    """Tell the depositor by e-mail that the proof of deposit is ready (no detail of the deposit in the mail)."""
    if deposit.depositor.email:
        queue_email(
            template="deposits/email/receipt_ready",
            to=deposit.depositor.email,
            language=deposit.depositor.preferred_language,
            context={"number": deposit.number},
        )


# Back office -----------------------------------------------------------------------------------------------------


@transaction.atomic
def open_deposit(*, actor, deposit, request=None):
    """A staff member of the addressee unit opens the deposit: it is being processed from then on."""
    if deposit.state == Deposit.State.RECEIVED:
        deposit.state = Deposit.State.OPENED
        deposit.opened_at = timezone.now()
        deposit.opened_by = actor
        deposit.save(update_fields=["state", "opened_at", "opened_by"])
    record("deposit.opened", actor=actor, target=deposit, request=request)
    return deposit


@transaction.atomic
def attach_file(*, actor, deposit_file, kind=Document.Kind.PLEADING, request=None):
    """Add a deposited file to the case file's documents: the same bytes, the same hash."""
    deposit_file = DepositFile.objects.select_for_update().select_related("deposit__case_file").get(pk=deposit_file.pk)
    if deposit_file.document_id:
        return deposit_file.document
    deposit = deposit_file.deposit
    with deposit_file.file.open("rb") as content:
        document = casefile_services.add_document(
            actor=actor,
            case_file=deposit.case_file,
            title=deposit_file.original_filename,
            kind=kind,
            document_date=timezone.localdate(deposit.accepted_at),
            content=content,
            filename=deposit_file.original_filename,
            media_type=deposit_file.media_type,
            author_unit=deposit.unit,
            visibility=Document.Visibility.STAFF_ONLY,
            request=request,
        )
    if document.sha256 != deposit_file.sha256 or document.size != deposit_file.size:
        document.file.delete(save=False)
        raise RuntimeError(f"{deposit_file} changed while it was attached")  # rolls the document back
    deposit_file.document = document
    deposit_file.save(update_fields=["document"])
    record("deposit.file_attached", actor=actor, target=deposit, request=request, details={"document": document.pk})
    return document


@transaction.atomic
def acknowledge(*, actor, deposit, request=None):
    """The addressee unit has triaged the deposit; the depositor sees it."""
    if deposit.state != Deposit.State.ACKNOWLEDGED:
        deposit.state = Deposit.State.ACKNOWLEDGED
        deposit.acknowledged_at = timezone.now()
        deposit.acknowledged_by = actor
        if deposit.opened_at is None:
            deposit.opened_at, deposit.opened_by = deposit.acknowledged_at, actor
        deposit.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "opened_at", "opened_by"])
        record("deposit.acknowledged", actor=actor, target=deposit, request=request)
    return deposit
