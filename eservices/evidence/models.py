"""Evidence of delivery events (after ETSI EN 319 522): dated statements of what happened to a deposit or a
message, kept apart from what they prove and referring to it by a generic reference."""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "evidence.EvidenceEvent:append_only"


class EvidenceEvent(models.Model):
    """One dated statement. Rows are never updated, and deleted only by retention (``services.remove_events``):
    on PostgreSQL a trigger refuses anything else, as for the audit trail. Whatever is added later about an
    event (a seal, a time-stamp) goes in a table of its own."""

    class Event(models.TextChoices):
        SUBMISSION_ACCEPTED = "submission_accepted", _("Submission accepted")
        SUBMISSION_REJECTED = "submission_rejected", _("Submission rejected")
        MADE_AVAILABLE = "made_available", _("Made available")
        ALERT_SENT = "alert_sent", _("E-mail alert sent")
        ALERT_FAILED = "alert_failed", _("E-mail alert failed")
        OPENED = "opened", _("Opened")
        DEEMED_RECEIVED = "deemed_received", _("Deemed received")
        NOT_OPENED = "not_opened", _("Not opened")
        DOWNLOADED = "downloaded", _("Downloaded")

    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor as shown"), max_length=200, blank=True)
    capacity = models.CharField(_("capacity"), max_length=40, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # The audit entry recorded with it, in the same transaction: its ``sequence`` (filled when the sequencer seals
    # it) is this event's sealed position, the order in which a feed of evidence can be read without missing an
    # event committed late. No database constraint: the trail is checked by its chain, not by this link.
    audit_event = models.ForeignKey(
        "audit.AuditEvent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audit entry"),
    )

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="evidence_subject_idx")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_event_display()}"


def receipt_storage_key(instance: object, filename: str) -> str:
    """A generated key: nothing about the deposit reaches the storage path."""
    return f"receipts/{uuid.uuid4().hex}.pdf"


class DepositReceipt(models.Model):
    """A proof of deposit: the facts of a deposit as a PDF signed by the platform with a trusted timestamp.

    The facts are fixed when the deposit is accepted; the PDF follows at once, or later when the signer or the
    time-stamping authority was unavailable (status ``pending``), and then states both times.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being signed")
        SIGNED = "signed", _("Signed")

    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    number = models.CharField(_("deposit number"), max_length=40, unique=True)
    language = models.CharField(_("language"), max_length=5)  # the procedure's, first on the receipt
    second_language = models.CharField(_("second language"), max_length=5, blank=True)  # the person's
    facts = models.JSONField(_("facts"))
    accepted_at = models.DateTimeField(_("accepted at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(_("signed PDF"), upload_to=receipt_storage_key, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # When the certificate of the receipt's last timestamp expires: renew_timestamps adds a new one before.
    timestamp_expires_at = models.DateTimeField(_("last timestamp expires at"), null=True, blank=True, db_index=True)
    timestamp_renewed_at = models.DateTimeField(_("archive timestamp last added at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("signing attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proof of deposit")
        verbose_name_plural = _("proofs of deposit")
        ordering = ["accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="one_receipt_per_subject"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | (~models.Q(pdf="") & models.Q(signed_at__isnull=False)),
                name="signed_receipt_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def delayed(self) -> bool:
        """Signed after a failed first attempt (the signer or the TSA was unavailable when it was accepted)."""
        return self.attempts > 1
