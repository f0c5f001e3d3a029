"""Stored files and rejected files of the intake pipeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import reasons


class ScanStatus(models.TextChoices):
    CLEAN = "clean", _("Clean")
    PENDING = "pending", _("Waiting for the virus scan")
    INFECTED = "infected", _("Infected")
    NOT_SCANNED = "not_scanned", _("Not scanned")


class StoredFile(models.Model):
    """An accepted file: fully written under a generated key, hashed, type-checked.

    Its bytes never change. Only a clean file (or, where the settings allow it, a file of a portal without
    antivirus) is released to readers: see :attr:`is_released`.
    """

    storage_key = models.CharField(_("storage key"), max_length=200, unique=True)
    policy = models.CharField(_("policy"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    display_name = models.CharField(_("file name"), max_length=150)
    original_name = models.CharField(_("original file name"), max_length=1000, blank=True)
    scan_status = models.CharField(_("virus scan"), max_length=12, choices=ScanStatus.choices)
    # Retention deleted the bytes (casefiles.retention); the row (name, size, SHA-256) stays as a record.
    removed_at = models.DateTimeField(_("bytes removed at"), null=True, blank=True)
    scan_signature = models.CharField(_("virus found"), max_length=200, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    submission = models.UUIDField(_("submission"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="storedfile_sha256_hex"),
            models.UniqueConstraint(
                fields=["policy", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="storedfile_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["scan_status", "created_at"], name="storedfile_scan_idx")]

    def __str__(self):
        return self.display_name

    @property
    def is_released(self):
        """May readers see these bytes? Clean files, or files stored without antivirus where the settings allow;
        never a file whose bytes retention removed."""
        if self.removed_at is not None:
            return False
        if self.scan_status == ScanStatus.CLEAN:
            return True
        # Stored without antivirus (no scan was ever tried), where the settings allow it; never a file that
        # clamd could not scan.
        return (
            self.scan_status == ScanStatus.NOT_SCANNED and self.scanned_at is None and settings.INTAKE_RELEASE_UNSCANNED
        )

    def open(self):
        """The bytes of a released file, from storage; refuses a file that is not released."""
        from django.core.files.storage import default_storage

        if not self.is_released:
            raise PermissionError(f"stored file {self.pk} is not released (scan status: {self.scan_status})")
        return default_storage.open(self.storage_key, "rb")


class IntakeRejection(models.Model):
    """A refused file, kept as evidence: why, for whom, what it was (never its bytes)."""

    created_at = models.DateTimeField(_("refused at"), auto_now_add=True, db_index=True)
    policy = models.CharField(_("policy"), max_length=40)
    code = models.CharField(_("reason code"), max_length=40, choices=reasons.CHOICES)
    params = models.JSONField(_("reason details"), default=dict, blank=True)
    display_name = models.CharField(_("file name"), max_length=150)
    original_name = models.CharField(_("original file name"), max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(_("bytes read"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    submission = models.UUIDField(_("submission"), null=True, blank=True)
    stored_file = models.ForeignKey(
        StoredFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stored file (refused after a later scan)"),
    )

    class Meta:
        verbose_name = _("refused file")
        verbose_name_plural = _("refused files")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.display_name}: {self.code}"

    @property
    def reason(self):
        """The reason in the active language."""
        return reasons.message(self.code, self.params)
