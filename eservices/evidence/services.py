"""Recording evidence events (each is also an audit event, in the same transaction), and proofs of deposit:
their facts, their signed PDF and their offline verification."""

import dataclasses
import datetime
import errno
import hashlib
import logging
import time

import pgtrigger
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.core import sandbox
from eservices.identity.models import Capacity
from eservices.signing import services as signing

from . import receipts
from .models import APPEND_ONLY, DepositReceipt, EvidenceEvent, receipt_storage_key

logger = logging.getLogger(__name__)


@transaction.atomic(savepoint=False)  # no savepoint: if it fails, the caller's transaction cannot commit anyway
def record_event(event, *, subject, actor=None, capacity="", details=None, occurred_at=None, request=None):
    """State that ``event`` happened to ``subject`` (a deposit, a message, a document) at ``occurred_at``.

    Its audit entry is written first and linked: ``audit_event.sequence`` is the event's sealed position.
    """
    audit_event = record(
        f"evidence.{event}", actor=actor, capacity=capacity, target=subject, request=request, details=details
    )
    return EvidenceEvent.objects.create(
        event=event,
        occurred_at=occurred_at or timezone.now(),
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor)[:200] if actor is not None else "",
        capacity=capacity,
        details=details or {},
        audit_event=audit_event,
    )


def sealed_events():
    """Evidence whose audit entry is sealed, in sealed order (``audit_event__sequence``): what a feed reads,
    resuming after the last position it gave (an event committed late is sealed after, never before, it)."""
    return EvidenceEvent.objects.filter(audit_event__sequence__isnull=False).order_by("audit_event__sequence")


def remove_events(subjects):
    """Delete the evidence of ``subjects`` (model instances); the number deleted. Only retention calls it
    (``casefiles.services.apply_retention`` and its receivers in deposits and mailbox; it records the count in its
    audit event): the append-only trigger is set aside for this statement alone."""
    by_type = {}
    for subject in subjects:
        by_type.setdefault(subject._meta.label_lower, []).append(str(subject.pk))
    if not by_type:
        return 0
    query = Q()
    for subject_type, ids in by_type.items():
        query |= Q(subject_type=subject_type, subject_id__in=ids)
    with transaction.atomic(), pgtrigger.ignore(APPEND_ONLY):
        deleted, _by_model = EvidenceEvent.objects.filter(query).delete()
    return deleted


def events_for(subject):
    """The evidence of one subject, oldest first."""
    return EvidenceEvent.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


# Proofs of deposit ------------------------------------------------------------------------------------------


def create_receipt(*, subject, number, facts, language, accepted_at, second_language=""):
    """Fix the facts of a proof of deposit, in the caller's transaction; the PDF is signed after commit. It speaks
    ``language`` (the procedure's) first, then ``second_language`` (the person's) or the other national one."""
    return DepositReceipt.objects.create(
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        number=number,
        facts=facts,
        language=language,
        second_language=second_language,
        accepted_at=accepted_at,
    )


def receipt_for(subject):
    return DepositReceipt.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk)).first()


def _capacity_labels(code):
    labels = {}
    for language in ("fr", "nl", "de", "en"):
        with translation.override(language):
            labels[language] = str(Capacity(code).label) if code in Capacity.values else code
    return labels


def render_receipt(receipt, *, issued_at=None):
    """The unsigned PDF of a receipt (``issued_at`` is stated when it is signed later than accepted)."""
    return receipts.render_pdf(
        receipt.facts,
        language=receipt.language,
        second_language=receipt.second_language,
        capacity_labels=_capacity_labels(receipt.facts["depositor"]["capacity"]),
        issued_at=issued_at,
    )


def sign_receipt(receipt):
    """Render, sign and store the receipt's PDF, outside any transaction (the TSA may be slow).

    Returns True when the receipt is signed (now or before); False when the signer or the TSA failed: the receipt
    stays pending with the error, for ``sign_pending_receipts`` or the queued task.
    """
    receipt.refresh_from_db()
    if receipt.status == DepositReceipt.Status.SIGNED:
        return True
    now = timezone.now()
    attempts = receipt.attempts + 1
    delayed = attempts > 1 or (now - receipt.accepted_at).total_seconds() > 60
    try:
        signed = signing.sign_pdf(
            render_receipt(receipt, issued_at=now if delayed else None),
            reason=f"Proof of deposit {receipt.number}",
        )
    except signing.SigningUnavailable as error:
        DepositReceipt.objects.filter(pk=receipt.pk, status=DepositReceipt.Status.PENDING).update(
            attempts=attempts, last_error=str(error)[:500]
        )
        logger.warning("proof of deposit %s not signed: %s", receipt.number, error)
        return False
    key = receipt_storage_key(receipt, "")
    try:
        name = default_storage.save(key, ContentFile(signed))
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # Not the signer's fault: say so, keep the receipt pending, and leave no truncated PDF behind.
        if not DepositReceipt.objects.filter(pdf=key).exists():
            default_storage.delete(key)
        DepositReceipt.objects.filter(pk=receipt.pk, status=DepositReceipt.Status.PENDING).update(
            attempts=attempts, last_error=f"storage full: {error}"[:500]
        )
        logger.error("proof of deposit %s signed but not stored: storage full", receipt.number)
        return False
    updated = DepositReceipt.objects.filter(pk=receipt.pk, status=DepositReceipt.Status.PENDING).update(
        status=DepositReceipt.Status.SIGNED,
        pdf=name,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=now,
        timestamp_expires_at=_timestamp_expiry(signed),
        attempts=attempts if delayed else max(attempts, 1),
        last_error="",
    )
    if not updated:  # another worker signed it first: keep theirs
        default_storage.delete(name)
    receipt.refresh_from_db()
    return True


def _timestamp_expiry(pdf_bytes):
    last = signing.last_timestamp(pdf_bytes)
    return last.expires if last is not None else None


def receipts_to_renew(*, now=None):
    """Signed receipts whose last timestamp's certificate expires within ``SIGNING_RENEW_TIMESTAMP_DAYS`` (or is
    not known: receipts signed before expiry dates were recorded)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.SIGNING_RENEW_TIMESTAMP_DAYS)
    return DepositReceipt.objects.filter(status=DepositReceipt.Status.SIGNED).filter(
        Q(timestamp_expires_at__isnull=True) | Q(timestamp_expires_at__lt=horizon)
    )


# A receipt re-stamped less than this long ago is left alone: running renew_timestamps again changes nothing, even
# when the TSA's own certificate expires within the renewal margin.
RENEWED_RECENTLY = datetime.timedelta(days=1)


def renew_timestamp(receipt, *, now=None):
    """Add an archive timestamp to a signed receipt whose last timestamp's certificate nears its end (PAdES B-LTA).

    Returns "renewed", "recent" (re-stamped within a day: nothing to do) or "unavailable" (the TSA failed: try
    again later). The new PDF is the old one plus an incremental update, stored under a new key; the old file goes
    once the row points to the new one."""
    now = now or timezone.now()
    if receipt.timestamp_renewed_at and now - receipt.timestamp_renewed_at < RENEWED_RECENTLY:
        return "recent"
    with receipt.pdf.open("rb") as handle:
        old = handle.read()
    try:
        renewed = signing.renew_archive_timestamp(old)
    except signing.SigningUnavailable as error:
        logger.warning("proof of deposit %s not re-stamped: %s", receipt.number, error)
        return "unavailable"
    name = default_storage.save(receipt_storage_key(receipt, ""), ContentFile(renewed))
    old_name = receipt.pdf.name
    expires = _timestamp_expiry(renewed)
    with transaction.atomic():
        updated = DepositReceipt.objects.filter(pk=receipt.pk, sha256=receipt.sha256).update(
            pdf=name, sha256=hashlib.sha256(renewed).hexdigest(), timestamp_expires_at=expires, timestamp_renewed_at=now
        )
        if updated:
            record(
                "evidence.receipt_timestamp_renewed",
                target=receipt,
                details={"number": receipt.number, "expires": expires.isoformat() if expires else ""},
            )
    if not updated:  # another run renewed it first: keep theirs
        default_storage.delete(name)
        return "recent"
    transaction.on_commit(lambda: default_storage.delete(old_name))
    receipt.refresh_from_db()
    return "renewed"


def pending_receipts():
    return DepositReceipt.objects.filter(status=DepositReceipt.Status.PENDING)


@dataclasses.dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclasses.dataclass
class ReceiptVerification:
    """The result of verifying a receipt (and files) offline, check by check."""

    checks: list
    facts: dict | None
    signature: signing.SignatureCheck
    seconds: float = 0.0  # what reading the receipt took (the rate limit counts a slow verification as several)

    @property
    def ok(self):
        return all(check.ok for check in self.checks)

    @property
    def failed(self):
        return [check for check in self.checks if not check.ok]


# What the child process that reads a receipt needs of the settings (tests and operators may change them).
SIGNING_SETTINGS = (
    "SIGNING_BACKEND",
    "SIGNING_PKCS12_PATH",
    "SIGNING_PKCS12_PASSPHRASE",
    "SIGNING_TRUST_ROOTS",
    "SIGNING_PREVIOUS_CERTIFICATES",
    "SIGNING_CERTIFICATE",
    "SIGNING_CRLS",
    "PRODUCTION",
)


def read_receipt(pdf_bytes, *, max_objects, max_pages):
    """Bound the receipt's structure (qpdf), then read its signature (pyHanko) and its embedded facts.

    Runs in the bounded child process of ``eservices.core.sandbox`` (target ``evidence.read_receipt``).
    """
    receipts.bound_structure(pdf_bytes, max_objects=max_objects, max_pages=max_pages)
    signature = signing.check_pdf_signature(pdf_bytes)
    facts = receipts.read_facts(pdf_bytes) if signature.present else None
    return {"signature": dataclasses.asdict(signature), "facts": facts}


def _read_receipt_bounded(pdf_bytes):
    """``(signature, facts, refusal)``: the receipt read in the sandbox, or why it was not read at all."""
    refusal = receipts.refuse_envelope(pdf_bytes, max_bytes=settings.VERIFY_MAX_RECEIPT_BYTES)
    if refusal:
        return signing.SignatureCheck(), None, refusal
    try:
        answer = sandbox.run(
            "evidence.read_receipt",
            pdf_bytes,
            cpu_seconds=settings.INTAKE_PARSE_CPU_SECONDS,
            memory_bytes=settings.INTAKE_PARSE_MEMORY_BYTES,
            settings_overrides={name: getattr(settings, name) for name in SIGNING_SETTINGS},
            max_objects=receipts.MAX_OBJECTS,
            max_pages=receipts.MAX_PAGES,
        )
    except sandbox.LimitExceeded as exceeded:
        logger.warning("verification: a receipt exceeded the %s limit", exceeded.resource)
        return signing.SignatureCheck(), None, receipts.too_complex_message()
    except sandbox.Verdict:
        return signing.SignatureCheck(), None, receipts.not_a_receipt_message()
    except sandbox.Failed:
        logger.exception("verification: reading a receipt failed")
        return signing.SignatureCheck(), None, receipts.not_a_receipt_message()
    return signing.SignatureCheck(**answer["signature"]), answer["facts"], ""


def verify_receipt(pdf_bytes, files=()):
    """Verify a receipt PDF, and each ``(name, chunks)`` file against it, using only the receipt and the
    configured trust roots (no database, no network).

    The receipt is public input: its size and envelope are checked first (cheap), then it is read in a child
    process bounded in CPU time and memory (INTAKE_PARSE_CPU_SECONDS, INTAKE_PARSE_MEMORY_MB) after qpdf bounded
    its object and page counts."""
    started = time.monotonic()
    signature, facts, refusal = _read_receipt_bounded(pdf_bytes)
    seconds = time.monotonic() - started
    checks = []
    if refusal:
        checks.append(Check("structure", False, refusal))
    elif not signature.present:
        checks.append(Check("signature", False, _("The receipt carries no electronic seal.")))
    elif not signature.intact:
        checks.append(Check("signature", False, _("The receipt was changed after it was sealed.")))
    else:
        checks.append(Check("signature", True, _("The seal is intact.")))
    if signature.present and signature.intact:
        checks.append(
            Check("trusted", True, _("The seal and its timestamp are valid and trusted."))
            if signature.trusted
            else Check("trusted", False, _("The seal is not valid or not trusted."))
        )
        if signature.previous_certificate:
            checks.append(
                Check("platform", True, _("The receipt was sealed with a previous certificate of the platform."))
            )
        elif signature.platform_certificate:
            checks.append(Check("platform", True, _("The receipt was sealed with the platform's certificate.")))
        else:
            checks.append(Check("platform", False, _("The receipt was not sealed with the platform's certificate.")))
        checks.append(
            Check(
                "timestamp",
                True,
                _("The electronic timestamp is valid: %(time)s.")
                % {"time": receipts.both_times(signature.timestamp_at)},
            )
            if signature.timestamp_valid
            else Check("timestamp", False, _("The receipt carries no valid electronic timestamp."))
        )
        checks.append(
            Check("whole_file", True, _("Nothing was added to the receipt after it was sealed."))
            if signature.covers_whole_file
            else Check("whole_file", False, _("Something was added to the receipt after it was sealed."))
        )
        checks.append(_level_check(signature))
        checks.append(
            Check("facts", True, _("The receipt's machine-readable facts are present."))
            if facts is not None
            else Check("facts", False, _("The receipt's machine-readable facts are missing."))
        )
    listed = {item["sha256"]: item for item in (facts or {}).get("files", [])}
    for name, chunks in files:
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
        item = listed.get(digest.hexdigest())
        if item is not None:
            message = _("%(name)s matches the receipt's file %(listed)s (SHA-256 %(sha256)s).") % {
                "name": name,
                "listed": item["name"],
                "sha256": item["sha256"],
            }
            checks.append(Check("file", True, message))
        else:
            message = _("%(name)s does not match any file of the receipt (SHA-256 %(sha256)s).") % {
                "name": name,
                "sha256": digest.hexdigest(),
            }
            checks.append(Check("file", False, message))
    return ReceiptVerification(checks=checks, facts=facts, signature=signature, seconds=seconds)


def verify_bundle(data):
    """Verify an evidence bundle (``bundles.build``): the summary's seal as a receipt's, each document of the ZIP
    against the summary's list, and that none listed is missing. Offline, like ``verify_receipt``."""
    from . import bundles

    opened = bundles.open_bundle(data)
    if opened is None:
        return ReceiptVerification(
            checks=[Check("structure", False, _("The file is not a readable evidence bundle."))],
            facts=None,
            signature=signing.SignatureCheck(),
        )
    summary, documents = opened
    result = verify_receipt(summary, [(name.removeprefix(bundles.DOCUMENTS), [content]) for name, content in documents])
    if result.facts is not None and result.facts.get("format") != bundles.FORMAT:
        result.checks.append(Check("facts", False, _("The summary is not an evidence bundle's.")))
    listed = [item["sha256"] for item in (result.facts or {}).get("files", [])]
    present = {hashlib.sha256(content).hexdigest() for _name, content in documents}
    missing = [sha256 for sha256 in listed if sha256 not in present]
    result.checks.append(
        Check(
            "complete",
            not missing and result.facts is not None,
            _("Every document the summary lists is in the bundle."),
        )
        if not missing
        else Check(
            "complete", False, _("%(count)s document(s) the summary lists are missing.") % {"count": len(missing)}
        )
    )
    return result


def _level_check(signature):
    """The PAdES level reached, with the archive timestamps: B-LTA proves the seal after its certificates expire."""
    if not signature.level:
        return Check("level", False, _("The seal reaches no PAdES baseline level."))
    message = _("Level reached: %(level)s.") % {"level": signature.level}
    if signature.archive_timestamps:
        message += " " + _("Archive timestamps: %(times)s; the last one's certificate expires on %(expiry)s.") % {
            "times": ", ".join(receipts.brussels_time(moment) for moment in signature.archive_timestamps),
            "expiry": receipts.brussels_time(signature.last_timestamp_expires),
        }
    return Check("level", True, message)


def receipts_for(subjects):
    """The receipts of several subjects of one model, in one query."""
    subjects = list(subjects)
    if not subjects:
        return DepositReceipt.objects.none()
    return DepositReceipt.objects.filter(
        subject_type=subjects[0]._meta.label_lower, subject_id__in=[str(subject.pk) for subject in subjects]
    )
