"""Deposits: files that a person sends to a unit in a case file, with a message, answered by a proof of deposit."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.calendar import days
from eservices.casefiles.models import CaseFile, Document
from eservices.identity.models import Capacity, Company
from eservices.intake.models import StoredFile
from eservices.units.models import Unit


class Deposit(models.Model):
    """A deposit, accepted whole (all its files) at ``accepted_at``; staff triage it into the case file."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        OPENED = "opened", _("Being processed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    class Rag(models.TextChoices):
        GREEN = "G", _("On time")
        ORANGE = "O", _("At risk")
        RED = "R", _("Late")

    number = models.CharField(_("deposit number"), max_length=20, unique=True, null=True, blank=True)
    depositor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("depositor")
    )
    capacity = models.CharField(_("capacity"), max_length=40, choices=Capacity.choices)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("on behalf of the company"),
    )
    # The reference as the depositor typed it (normalised): the receipt states it whether or not a case file of the
    # addressee unit has it, so that the answer never tells whether a reference exists (issue 11).
    reference = models.CharField(_("case file reference"), max_length=40)
    case_file = models.ForeignKey(
        CaseFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("case file"),
        help_text=_("The addressee unit's case file with this reference; empty when the unit has none."),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("addressee unit"))
    message = models.TextField(_("message"), blank=True)
    message_sha256 = models.CharField(_("SHA-256 of the message"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    received_at = models.DateTimeField(
        _("received at"),
        null=True,
        blank=True,
        help_text=_("When the portal received the last byte: the deposit's time."),
    )
    accepted_at = models.DateTimeField(_("accepted at"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    triage_due_on = models.DateField(_("triage due on"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["depositor", "idempotency_key"], name="one_deposit_per_idempotency_key"),
            models.CheckConstraint(
                condition=~models.Q(capacity="company_representative") | models.Q(company__isnull=False),
                name="company_representative_names_company",
            ),
        ]

    def __str__(self):
        return self.number or f"deposit {self.pk}"

    def rag(self, today=None):
        """G on time, O at risk (due today or on the next working day), R late; None once acknowledged."""
        if self.state == self.State.ACKNOWLEDGED:
            return None
        today = today or timezone.localdate()
        if today > self.triage_due_on:
            return self.Rag.RED
        if days.add_working_days(today, 1) >= self.triage_due_on:
            return self.Rag.ORANGE
        return self.Rag.GREEN

    @property
    def total_size(self):
        return sum(item.size for item in self.files.all())


class DepositFile(models.Model):
    """One file of a deposit: a file the intake pipeline accepted, with the facts the receipt states about it."""

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="files", verbose_name=_("deposit"))
    position = models.PositiveSmallIntegerField(_("position"))
    stored_file = models.OneToOneField(
        StoredFile, on_delete=models.PROTECT, related_name="deposit_file", verbose_name=_("stored file")
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document of the case file"),
    )

    class Meta:
        verbose_name = _("deposited file")
        verbose_name_plural = _("deposited files")
        ordering = ["deposit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["deposit", "position"], name="deposit_file_position_unique"),
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="deposit_file_sha256_hex"),
        ]

    def __str__(self):
        return self.original_filename
