"""Case files, their parties and their documents."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.identity.models import Capacity, Company
from eservices.intake.models import StoredFile
from eservices.units.models import Unit


def document_storage_key(instance, filename):
    """A generated key: the user's file name never reaches the storage path."""
    return f"documents/{uuid.uuid4().hex}"


class Phase(models.TextChoices):
    """The phases a case file goes through (issue 17); ``casefiles.services.change_phase`` is the one write path."""

    ADMISSIBILITY = "admissibility", _("Admissibility")
    EVALUATION = "evaluation", _("Medical or legal evaluation")
    DECISION = "decision", _("Proposal and decision")
    CLOSED = "closed", _("Closed")


class Origin(models.TextChoices):
    """Who started the case file."""

    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Complaint")
    REFERRAL = "referral", _("Referral")


class ProviderKind(models.TextChoices):
    """The kind of care provider concerned, as staff record it."""

    PHYSICIAN = "physician", _("Physician")
    DENTIST = "dentist", _("Dentist")
    PHARMACIST = "pharmacist", _("Pharmacist")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    NURSE = "nurse", _("Nurse")
    INSTITUTION = "institution", _("Care institution")
    OTHER = "other", _("Other provider")


class Region(models.TextChoices):
    """The provider's region, as staff record it."""

    BRUSSELS = "brussels", _("Brussels-Capital")
    FLANDERS = "flanders", _("Flanders")
    WALLONIA = "wallonia", _("Wallonia")
    ABROAD = "abroad", _("Abroad")


class CaseFile(models.Model):
    """A control action or a procedure, owned by one unit; its reference starts with the unit's code."""

    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", _("Investigation and control")
        EVALUATION = "evaluation", _("Medical evaluation")
        LEADING_OFFICIAL = "leading_official", _("Procedure before the Leading Official")
        FIRST_INSTANCE = "first_instance", _("Proceeding before the Chamber of First Instance")
        APPEAL = "appeal", _("Proceeding before the Chamber of Appeal")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PENDING_DECISION = "pending_decision", _("Awaiting decision")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="case_files", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    language = models.CharField(
        _("language of the procedure"), max_length=2, choices=[("fr", "FR"), ("nl", "NL"), ("de", "DE")]
    )
    opened_on = models.DateField(_("opened on"))
    hearing_on = models.DateField(_("next hearing on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # A legal hold (an appeal, a litigation, a request of the courts) keeps everything past the retention periods.
    legal_hold_reason = models.CharField(_("legal hold"), max_length=300, blank=True)
    legal_hold_since = models.DateTimeField(_("legal hold since"), null=True, blank=True)
    # The current phase, kept equal to the open row of its history (PhaseChange) by services.change_phase.
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.ADMISSIBILITY)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    provider_kind = models.CharField(_("kind of provider"), max_length=20, choices=ProviderKind.choices, blank=True)
    region = models.CharField(_("region of the provider"), max_length=20, choices=Region.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-opened_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                name="casefile_closed_after_opened",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def on_legal_hold(self):
        return self.legal_hold_since is not None

    def clean(self):
        if self.unit_id and not self.reference.startswith(f"{self.unit.code}/"):
            raise ValidationError(
                {"reference": _("The reference must start with the unit's code, %(code)s/.") % {"code": self.unit.code}}
            )


class Party(models.Model):
    """Someone with a role in a case file: the concerned person or company, a lawyer, a third party."""

    class Role(models.TextChoices):
        CONCERNED_PERSON = "concerned_person", _("Concerned person")
        CONCERNED_COMPANY = "concerned_company", _("Concerned company")
        LAWYER = "lawyer", _("Lawyer or counsel")
        SERVICE_LAWYER = "service_lawyer", _("Lawyer of the Service")
        AUTHORISED_THIRD_PARTY = "authorised_third_party", _("Legally authorised third party")

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case file")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    display_name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parties",
        verbose_name=_("user account"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="parties", verbose_name=_("company")
    )
    inami_number = models.CharField(_("INAMI number"), max_length=11, blank=True)
    # The national register number is never stored in clear: only its keyed hash (identity.nrn.lookup_hash).
    nrn_hash = models.CharField(_("national register number (keyed hash)"), max_length=64, blank=True)
    represents = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("acts for"),
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case_file", "id"]
        indexes = [models.Index(fields=["nrn_hash"], name="party_nrn_hash_idx")]

    def __str__(self):
        return f"{self.display_name} ({self.get_role_display()})"


class Document(models.Model):
    """A stored file of a case file; its bytes never change once its hash is recorded."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        DECISION = "decision", _("Decision")
        NOTIFICATION = "notification", _("Notification")
        PLEADING = "pleading", _("Pleading")
        EXHIBIT = "exhibit", _("Exhibit")
        CORRESPONDENCE = "correspondence", _("Correspondence")

    class Visibility(models.TextChoices):
        ALL_PARTIES = "all_parties", _("All parties")
        SOME_PARTIES = "some_parties", _("Some parties")
        STAFF_ONLY = "staff_only", _("Staff only")

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case file")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    document_date = models.DateField(_("date"))
    author_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="authored_documents", verbose_name=_("author unit")
    )
    # A file a person deposited and staff attached: the person is its author, in the capacity they deposited in
    # (the name and the capacity are kept as written on the deposit, even if the account changes later).
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deposited_documents",
        verbose_name=_("deposited by"),
    )
    depositor_name = models.CharField(_("depositor's name"), max_length=200, blank=True)
    depositor_capacity = models.CharField(
        _("depositor's capacity"), max_length=40, choices=Capacity.choices, blank=True
    )
    depositor_company = models.CharField(_("depositor acted for the company"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=document_storage_key, max_length=200)
    stored_file = models.OneToOneField(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received file"),
    )
    original_filename = models.CharField(_("original file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.ALL_PARTIES
    )
    visible_to = models.ManyToManyField(
        Party, blank=True, related_name="visible_documents", verbose_name=_("visible to")
    )
    confidential_existence = models.BooleanField(
        _("keep even its existence confidential"),
        default=False,
        help_text=_("Parties who may not see it are not told that it exists."),
    )
    withheld_reason = models.CharField(
        _("why it is withheld"),
        max_length=300,
        blank=True,
        help_text=_("Shown to the parties who may not see the document."),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case_file", "document_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex")
        ]
        indexes = [models.Index(fields=["case_file", "created_at"], name="document_case_file_added_idx")]

    def __str__(self):
        return self.title

    @property
    def is_deposited(self):
        """Did a person deposit it (rather than a unit write it)?"""
        return bool(self.depositor_name)

    @property
    def author_label(self):
        """Who the document is from, in words: the depositor with their capacity, or the author unit."""
        if not self.is_deposited:
            return self.author_unit.name
        capacity = self.get_depositor_capacity_display()
        if self.depositor_company:
            return _("%(name)s, %(capacity)s, for %(company)s") % {
                "name": self.depositor_name,
                "capacity": capacity,
                "company": self.depositor_company,
            }
        return _("%(name)s, %(capacity)s") % {"name": self.depositor_name, "capacity": capacity}

    def deposited_by_reader(self, user):
        """Is this the reader's own deposited file? Its depositor may always open it."""
        return self.deposited_by_id is not None and user is not None and self.deposited_by_id == user.pk

    @property
    def is_released(self):
        """May readers have the bytes? Once the intake released them (virus scan clean, or no antivirus where
        the settings allow it)."""
        if not self.file:  # its bytes were removed by the retention job (casefiles/retention.py)
            return False
        return self.stored_file is None or self.stored_file.is_released


class PhaseTarget(models.Model):
    """How many working days a phase should take for a kind of case file (the functional administrator sets it)."""

    kind = models.CharField(_("kind of case file"), max_length=20, choices=CaseFile.Kind.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    working_days = models.PositiveIntegerField(_("target in working days"))

    class Meta:
        verbose_name = _("phase target")
        verbose_name_plural = _("phase targets")
        ordering = ["kind", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "phase"], name="one_phase_target_per_kind_and_phase"),
            models.CheckConstraint(condition=~models.Q(phase="closed"), name="phase_target_not_closed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.get_phase_display()}: {self.working_days}"


class PhaseChange(models.Model):
    """One phase of a case file, from its start to its end (open while it is the current one).

    ``due_on`` is the last day on target (the phase's target in working days after its start, as the target stood
    when the phase began); ``working_days`` is counted when the phase ends (legal holidays and weekends excluded),
    so that the dashboards aggregate stored numbers in the database.
    """

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="phase_history", verbose_name=_("case file")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("working days"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase of a case file")
        verbose_name_plural = _("phases of case files")
        ordering = ["case_file", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file"], condition=models.Q(ended_on__isnull=True), name="one_open_phase_per_case_file"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="phase_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["phase", "ended_on"], name="phase_change_ended_idx"),
            models.Index(fields=["ended_on", "due_on"], name="phase_change_due_idx"),
        ]

    def __str__(self):
        return f"{self.case_file_id} {self.phase} {self.started_on}"

    @property
    def on_time(self):
        """Whether the phase ended (or, still open, stands) within its target; None without a target."""
        if self.due_on is None:
            return None
        return (self.ended_on or timezone.localdate()) <= self.due_on
