"""Use cases of deposits: submit (all files or none), sign the proof of deposit, triage in the back office."""

import dataclasses
import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import default_task_backend
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.access.services import normalise_reference
from eservices.audit.services import record
from eservices.calendar import days
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Document
from eservices.evidence import receipts
from eservices.evidence import services as evidence
from eservices.evidence.models import EvidenceEvent
from eservices.identity.models import Capacity
from eservices.identity.queries import alert_address, companies_represented_by
from eservices.intake import policies as intake_policies
from eservices.intake import services as intake_services
from eservices.notifications.services import queue_email
from eservices.units.models import Unit
from eservices.units.staff import require_staff_of

from .models import Deposit, DepositFile

logger = logging.getLogger(__name__)

# The receipt's capacity is the one the depositor declared (``facts["depositor"]["capacity_source"]``).
CAPACITY_DECLARED = "declared_by_depositor"


def limits():
    """The limits stated on the form and checked in the browser; the intake pipeline enforces them."""
    policy = intake_policies.get(intake_policies.DEPOSIT)
    return {
        "max_files": policy.max_files,
        "max_file_bytes": policy.max_file_bytes,
        "max_total_bytes": policy.max_submission_bytes,
        "max_file_mb": policy.max_file_bytes // (1024 * 1024),
        "max_total_mb": policy.max_submission_bytes // (1024 * 1024),
        "extensions": [".pdf", ".xls", ".xlsx"],
    }


def store_files(files, *, actor, idempotency_key, request=None):
    """The files of one submission through the intake pipeline (type by content, structure, size, antivirus),
    all or nothing: an ``intake.services.SubmissionResult`` with one verdict per file."""
    return intake_services.receive_submission(
        files,
        policy=intake_policies.DEPOSIT,
        actor=actor,
        idempotency_key=f"deposit:{idempotency_key}",
        request=request,
    )


def _discard(results, *, actor, request=None):
    """Withdraw the stored files of a deposit that could not be recorded: never those of an earlier submission
    that the same idempotency key replayed, nor any file a deposit holds (two identical submissions racing with
    one idempotency key share their files: the one that stored them may be the one that loses)."""
    fresh = [result.stored_file for result in results if result.accepted and not result.replayed]
    held = set(DepositFile.objects.filter(stored_file__in=fresh).values_list("stored_file_id", flat=True))
    for stored_file in fresh:
        if stored_file.pk not in held:
            intake_services.discard(stored_file, actor=actor, request=request)


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
    """The companies the user may act for now (a confirmed representation), as identity says."""
    return list(companies_represented_by(user))


def submit(
    *,
    actor,
    capacity,
    case_file_reference,
    unit,
    message,
    files,
    idempotency_key,
    company=None,
    received_at=None,
    request=None,
):
    """Accept a deposit with all its files, or none of them.

    Access is not required to deposit, and the answer never tells whether a reference exists: the deposit keeps
    the reference as typed and is linked to the addressee unit's case file with that reference when there is one.
    A reference whose prefix names another unit is refused (it belongs to that unit: the person chooses it as the
    addressee), so that a unit never receives deposits for another unit's case files.

    Each file gets a verdict; when any file is rejected nothing is kept and the rejection is evidence. A second
    submission with the same ``idempotency_key`` returns the first deposit. The proof of deposit is signed at
    once, after the commit; when the signer or the TSA fails, the deposit stays accepted at its time and the
    receipt is queued. ``received_at`` is when the portal received the last byte (``intake.uploads.received_at``):
    the time of the deposit, which the receipt states, before the checks and the scan (docs/deadlines.md).
    """
    received_at = (received_at or timezone.now()).replace(microsecond=0)
    existing = Deposit.objects.filter(depositor=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return SubmitResult(deposit=existing, verdicts=[], errors=[], duplicate=True)
    errors = []
    reference = normalise_reference(case_file_reference)
    owner = Unit.objects.filter(code__iexact=reference.split("/")[0]).first() if reference else None
    if not reference:
        errors.append(_("Give the reference of the case file."))
    elif owner is not None and owner != unit:
        errors.append(
            _("The reference %(reference)s belongs to %(unit)s: choose it as the addressee.")
            % {"reference": reference, "unit": owner.name}
        )
    case_file = CaseFile.objects.filter(reference=reference, unit=unit).first()
    if capacity not in Capacity.values:
        errors.append(_("Choose the capacity in which you make this deposit."))
    if capacity == Capacity.COMPANY_REPRESENTATIVE and company not in companies_represented(actor):
        errors.append(_("Choose a company that you represent."))
    if capacity != Capacity.COMPANY_REPRESENTATIVE:
        company = None
    if not files:
        errors.append(_("Add at least one file."))
    if errors:
        return SubmitResult(deposit=None, verdicts=[], errors=errors)

    outcome = store_files(files, actor=actor, idempotency_key=idempotency_key, request=request)
    # A good file of a refused submission is withdrawn by intake ("submission_refused"): to the person it is fine.
    verdicts = [
        Verdict(result.display_name, True, "")
        if result.accepted or result.code == "submission_refused"
        else Verdict(result.display_name, False, result.reason)
        for result in outcome.files
    ]
    if not outcome.accepted:
        _record_rejection(actor, capacity, reference, case_file, verdicts, request)
        return SubmitResult(deposit=None, verdicts=verdicts, errors=[])
    try:
        deposit = _accept(
            actor,
            capacity,
            company,
            reference,
            case_file,
            unit,
            message,
            outcome.stored_files,
            idempotency_key,
            received_at,
            request,
        )
    except IntegrityError:
        # The same submission arrived twice at once: the other one won; answer with its deposit, and drop only
        # what this one stored and that deposit does not hold.
        _discard(outcome.files, actor=actor, request=request)
        existing = Deposit.objects.filter(depositor=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return SubmitResult(deposit=existing, verdicts=verdicts, errors=[], duplicate=True)
    except BaseException:
        _discard(outcome.files, actor=actor, request=request)
        raise
    try:
        issue_receipt(deposit)
    except Exception:  # noqa: BLE001 - the deposit is accepted whatever happens to its receipt; it stays pending
        logger.exception("the receipt of %s could not be issued; it stays pending", deposit.number)
    return SubmitResult(deposit=deposit, verdicts=verdicts, errors=[])


@transaction.atomic
def _record_rejection(actor, capacity, reference, case_file, verdicts, request):
    details = {
        "files": [{"name": v.name, "accepted": v.accepted, "reason": v.reason} for v in verdicts],
        "case_file": reference,
    }
    evidence.record_event(
        EvidenceEvent.Event.SUBMISSION_REJECTED,
        subject=case_file or actor,
        actor=actor,
        capacity=capacity,
        details=details,
        request=request,
    )


@transaction.atomic
def _accept(
    actor, capacity, company, reference, case_file, unit, message, stored, idempotency_key, received_at, request
):
    accepted_at = max(timezone.now().replace(microsecond=0), received_at)
    deposit = Deposit.objects.create(
        depositor=actor,
        capacity=capacity,
        company=company,
        reference=reference,
        case_file=case_file,
        unit=unit,
        message=message,
        message_sha256=hashlib.sha256(message.encode()).hexdigest() if message else "",
        idempotency_key=idempotency_key,
        received_at=received_at,
        accepted_at=accepted_at,
        triage_due_on=days.add_working_days(days.local_date(accepted_at), settings.DEPOSIT_TRIAGE_WORKING_DAYS),
    )
    deposit.number = f"DEP-{timezone.localtime(accepted_at):%Y}-{deposit.pk:06d}"  # the year in Brussels
    deposit.save(update_fields=["number"])
    for position, item in enumerate(stored, start=1):
        DepositFile.objects.create(
            deposit=deposit,
            position=position,
            stored_file=item,
            original_filename=item.display_name[:255],
            media_type=item.media_type,
            size=item.size,
            sha256=item.sha256,
        )
    facts = receipt_facts(deposit)
    evidence.create_receipt(
        subject=deposit,
        number=deposit.number,
        facts=facts,
        # The procedure's language first (law of 15 June 1935); without a known case file, the person's own.
        language=case_file.language if case_file else actor.preferred_language,
        second_language=actor.preferred_language if case_file else "",
        accepted_at=accepted_at,
    )
    evidence.record_event(
        EvidenceEvent.Event.SUBMISSION_ACCEPTED,
        subject=deposit,
        actor=actor,
        capacity=capacity,
        occurred_at=accepted_at,
        details={"number": deposit.number, "case_file": reference, "files": facts["files"]},
        request=request,
    )
    return deposit


def receipt_facts(deposit):
    """The facts a proof of deposit states (docs/evidence.md)."""
    unit = deposit.unit
    # Nobody can check a capacity for a case file the depositor needs no access to: the receipt says who declared it.
    depositor = {"name": str(deposit.depositor), "capacity": deposit.capacity, "capacity_source": CAPACITY_DECLARED}
    if deposit.company_id:
        depositor["company"] = {"name": deposit.company.name, "number": deposit.company.company_number}
    return {
        "format": receipts.FORMAT,
        "deposit_number": deposit.number,
        "received_at": timezone.localtime(deposit.received_at or deposit.accepted_at, receipts.BRUSSELS).isoformat(),
        "accepted_at": timezone.localtime(deposit.accepted_at, receipts.BRUSSELS).isoformat(),
        "depositor": depositor,
        "case_file": deposit.reference,
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


def record_receipt_download(*, actor, deposit, request=None):
    """The depositor downloads the signed proof of deposit (called when the answer hands the PDF over)."""
    record("deposit.receipt_downloaded", actor=actor, target=deposit, request=request)


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
    """Tell the depositor by e-mail that the proof of deposit is ready (no detail of the deposit in the mail), at
    their confirmed alert address only."""
    address = alert_address(deposit.depositor)
    if address:
        queue_email(
            template="deposits/email/receipt_ready",
            to=address,
            language=deposit.depositor.preferred_language,
            context={"number": deposit.number},
        )


# Back office -----------------------------------------------------------------------------------------------------


@transaction.atomic
def open_deposit(*, actor, deposit, request=None):
    """A staff member of the addressee unit opens the deposit: it is being processed from then on."""
    require_staff_of(actor, deposit.unit_id)
    if deposit.state == Deposit.State.RECEIVED:
        deposit.state = Deposit.State.OPENED
        deposit.opened_at = timezone.now()
        deposit.opened_by = actor
        deposit.save(update_fields=["state", "opened_at", "opened_by"])
    record("deposit.opened", actor=actor, target=deposit, request=request)
    return deposit


def attach_file(*, actor, deposit_file, kind=Document.Kind.PLEADING, request=None):
    """Add a deposited file to the case file's documents: the same bytes, the same hash.

    The bytes go through the intake pipeline again (policy ``casefile_document``) outside any transaction, as
    every case-file document does; the idempotency key makes a second click return the same document. Only staff
    of the case file's unit may (``PermissionDenied``), and only when the deposit names a case file of its unit.
    """
    deposit_file = DepositFile.objects.select_related(
        "deposit__case_file", "deposit__unit", "deposit__depositor", "deposit__company", "document"
    ).get(pk=deposit_file.pk)
    deposit = deposit_file.deposit
    if deposit.case_file is None:
        raise ValidationError(_("No case file of the addressee unit has this reference."), code="no_case_file")
    require_staff_of(actor, deposit.case_file.unit_id)
    if deposit_file.document_id:
        return deposit_file.document
    with deposit_file.stored_file.open() as content:  # refuses a file the antivirus has not released
        document = casefile_services.add_document(
            actor=actor,
            case_file=deposit.case_file,
            title=deposit_file.original_filename,
            kind=kind,
            document_date=timezone.localdate(deposit.accepted_at),
            content=content,
            filename=deposit_file.original_filename,
            author_unit=deposit.unit,
            # Its depositor sees it under their name and capacity; the other parties once staff say so.
            visibility=Document.Visibility.STAFF_ONLY,
            deposited_by=deposit.depositor,
            depositor_name=str(deposit.depositor)[:200],
            depositor_capacity=deposit.capacity,
            depositor_company=deposit.company.name[:200] if deposit.company else "",
            idempotency_key=f"deposit-file:{deposit_file.pk}",
            request=request,
        )
    if document.sha256 != deposit_file.sha256 or document.size != deposit_file.size:
        raise RuntimeError(f"{deposit_file} changed while it was attached")
    with transaction.atomic():
        DepositFile.objects.filter(pk=deposit_file.pk, document__isnull=True).update(document=document)
        record("deposit.file_attached", actor=actor, target=deposit, request=request, details={"document": document.pk})
    return document


@transaction.atomic
def acknowledge(*, actor, deposit, request=None):
    """The addressee unit has triaged the deposit; the depositor sees it."""
    require_staff_of(actor, deposit.unit_id)
    if deposit.state != Deposit.State.ACKNOWLEDGED:
        deposit.state = Deposit.State.ACKNOWLEDGED
        deposit.acknowledged_at = timezone.now()
        deposit.acknowledged_by = actor
        if deposit.opened_at is None:
            deposit.opened_at, deposit.opened_by = deposit.acknowledged_at, actor
        deposit.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "opened_at", "opened_by"])
        record("deposit.acknowledged", actor=actor, target=deposit, request=request)
    return deposit


def evidence_bundle(deposit):
    """The sealed evidence bundle of one deposit (``evidence.bundles``): the proof of deposit and the deposited
    files as documents, and every evidence event, summarised in the depositor's language."""
    from django.core.files.storage import default_storage

    from eservices.evidence import bundles

    def chunks(key):
        with default_storage.open(key, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk

    receipt = receipt_of(deposit)
    items = [
        (item.original_filename, item.size, item.sha256, item.media_type, item.stored_file.storage_key)
        for item in deposit.files.select_related("stored_file").order_by("position")
    ]
    if receipt is not None and receipt.pdf:
        items.insert(
            0,
            (
                f"proof-of-deposit-{deposit.number}.pdf",
                receipt.pdf.size,
                receipt.sha256,
                "application/pdf",
                receipt.pdf.name,
            ),
        )
    facts = bundles.facts_for(
        subject_kind="deposit",
        reference=deposit.number,
        language=deposit.depositor.preferred_language or (receipt.language if receipt else "fr"),
        addressee=str(deposit.depositor),
        documents=[item[:4] for item in items],
        events=evidence.events_for(deposit),
        extra={"received_at": deposit.received_at.isoformat() if deposit.received_at else ""},
    )
    return bundles.build(facts, [(item[0], chunks(item[4])) for item in items])


@transaction.atomic
def export_evidence(*, actor, deposit, request=None):
    """Staff of the addressee unit take the deposit's evidence bundle (its files go with it: recorded)."""
    require_staff_of(actor, deposit.unit)
    data = evidence_bundle(deposit)
    record("deposit.evidence_exported", actor=actor, target=deposit, request=request, unit=deposit.unit)
    return data
