"""Recording evidence events (each is also an audit event, in the same transaction), and proofs of deposit:
their facts, their signed PDF and their offline verification."""

import dataclasses
import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.identity.models import Capacity
from eservices.signing import services as signing

from . import receipts
from .models import DepositReceipt, EvidenceEvent, receipt_storage_key

logger = logging.getLogger(__name__)


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
    name = default_storage.save(receipt_storage_key(receipt, ""), ContentFile(signed))
    updated = DepositReceipt.objects.filter(pk=receipt.pk, status=DepositReceipt.Status.PENDING).update(
        status=DepositReceipt.Status.SIGNED,
        pdf=name,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=now,
        attempts=attempts if delayed else max(attempts, 1),
        last_error="",
    )
    if not updated:  # another worker signed it first: keep theirs
        default_storage.delete(name)
    receipt.refresh_from_db()
    return True


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

    @property
    def ok(self):
        return all(check.ok for check in self.checks)

    @property
    def failed(self):
        return [check for check in self.checks if not check.ok]


def verify_receipt(pdf_bytes, files=()):
    """Verify a receipt PDF, and each ``(name, chunks)`` file against it, using only the receipt and the
    configured trust roots (no database, no network)."""
    signature = signing.check_pdf_signature(pdf_bytes)
    facts = receipts.read_facts(pdf_bytes) if signature.present else None
    checks = []
    if not signature.present:
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
        checks.append(
            Check("platform", True, _("The receipt was sealed with the platform's certificate."))
            if signature.platform_certificate
            else Check("platform", False, _("The receipt was not sealed with the platform's certificate."))
        )
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
    return ReceiptVerification(checks=checks, facts=facts, signature=signature)


def receipts_for(subjects):
    """The receipts of several subjects of one model, in one query."""
    subjects = list(subjects)
    if not subjects:
        return DepositReceipt.objects.none()
    return DepositReceipt.objects.filter(
        subject_type=subjects[0]._meta.label_lower, subject_id__in=[str(subject.pk) for subject in subjects]
    )
