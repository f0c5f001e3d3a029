"""Access requests and access grants: who may consult which case file, in which capacity, until when.

This app sits above the case files (floor 4 over floor 3, docs/architecture.md): a grant points at a case file,
a party and documents, and the case files never import this app.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile, Document, Party
from eservices.identity.models import Capacity, Company
from eservices.intake.models import StoredFile
from eservices.units.models import Unit


class RAG(models.TextChoices):
    """The annual report's legend for processing deadlines."""

    GREEN = "G", _("On time")
    ORANGE = "O", _("At risk")
    RED = "R", _("Late")


class RefusalReason(models.TextChoices):
    NOT_A_PARTY = "not_a_party", _("You are not a party to this case file, nor do you act for one.")
    MANDATE_MISSING = "mandate_missing", _("The mandate or authorisation you sent does not allow this access.")
    REFERENCE_UNKNOWN = "reference_unknown", _("We could not identify the case file from the reference given.")
    LEGAL_RESTRICTION = "legal_restriction", _("Access is restricted by law at this stage of the procedure.")
    NO_ANSWER = "no_answer", _("The information we asked for did not reach us in time.")
    OTHER = "other", _("Another reason, explained below.")


class AccessRequest(models.Model):
    """A person's request to consult a case file, named by its reference as they typed it.

    The reference may match no case file: the request then waits, unmatched, in the queue of the unit its
    prefix names, and the requester is never told the difference.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        MORE_INFORMATION_REQUESTED = "more_information_requested", _("More information requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    OPEN_STATES = (State.REQUESTED, State.MORE_INFORMATION_REQUESTED)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests", verbose_name=_("requester")
    )
    reference = models.CharField(_("case file reference"), max_length=60)
    case_file = models.ForeignKey(
        CaseFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name=_("case file"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="access_requests", verbose_name=_("unit")
    )
    capacity = models.CharField(_("capacity"), max_length=40, choices=Capacity.choices)
    acting_for = models.CharField(
        _("on behalf of"), max_length=200, blank=True, help_text=_("For a lawyer or a third party: for whom.")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("company")
    )
    message = models.TextField(_("message"), max_length=4000, blank=True)
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.REQUESTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decision_due_on = models.DateField(_("decision due on"))
    information_requested = models.TextField(_("information requested"), max_length=4000, blank=True)
    additional_information = models.TextField(_("additional information"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    refusal_reason = models.CharField(_("reason"), max_length=30, choices=RefusalReason.choices, blank=True)
    refusal_details = models.TextField(_("explanation"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["decision_due_on", "submitted_at"]
        indexes = [models.Index(fields=["unit", "state", "decision_due_on"], name="access_request_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="refused") | ~models.Q(refusal_reason=""),
                name="access_request_refusal_has_reason",
            )
        ]

    def __str__(self):
        return _("Access request no. %(number)s") % {"number": self.pk}

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    def rag(self, today=None):
        """G on time, O in the last days before the deadline, R late; decided requests have none."""
        if not self.is_open:
            return None
        today = today or timezone.localdate()
        if today > self.decision_due_on:
            return RAG.RED
        if today > self.decision_due_on - datetime.timedelta(days=settings.ACCESS_AT_RISK_DAYS):
            return RAG.ORANGE
        return RAG.GREEN

    def get_rag_display(self):
        rag = self.rag()
        return RAG(rag).label if rag else ""

    def _decide(self, state, actor):
        if not self.is_open:
            raise ValidationError(_("This request has already been decided."), code="decided")
        self.state = state
        self.decided_at = timezone.now()
        self.decided_by = actor

    def grant_access(self, *, actor, scope, documents=(), valid_until=None, party=None):
        """Decide in favour: the request becomes granted and its grant is created (one per request)."""
        if self.case_file_id is None:
            raise ValidationError(_("Name the case file this request is about first."), code="unmatched")
        if valid_until is not None and valid_until < timezone.localdate():
            raise ValidationError({"valid_until": _("The end date cannot be in the past.")}, code="past")
        if scope == AccessGrant.Scope.CHOSEN and not documents:
            raise ValidationError({"documents": _("Choose at least one document.")}, code="no_documents")
        if any(document.case_file_id != self.case_file_id for document in documents):
            raise ValidationError({"documents": _("Choose documents of this case file.")}, code="other_case_file")
        if party is not None and party.case_file_id != self.case_file_id:
            raise ValidationError({"party": _("Choose a party of this case file.")}, code="other_case_file")
        self._decide(self.State.GRANTED, actor)
        self.save(update_fields=["state", "decided_at", "decided_by"])
        access_grant = AccessGrant.objects.create(
            user=self.requester,
            case_file_id=self.case_file_id,
            party=party,
            capacity=self.capacity,
            acting_for=self.acting_for,
            company=self.company,
            request=self,
            scope=scope,
            valid_until=valid_until,
            granted_by=actor,
        )
        if scope == AccessGrant.Scope.CHOSEN:
            access_grant.documents.set(documents)
        return access_grant

    def refuse(self, *, actor, reason, details=""):
        """Decide against, with a reason from the list and an explanation."""
        if reason not in RefusalReason.values:
            raise ValidationError({"refusal_reason": _("Choose a reason.")}, code="no_reason")
        if reason == RefusalReason.OTHER and not details.strip():
            raise ValidationError({"refusal_details": _("Explain the reason.")}, code="no_details")
        self._decide(self.State.REFUSED, actor)
        self.refusal_reason = reason
        self.refusal_details = details
        self.save(update_fields=["state", "decided_at", "decided_by", "refusal_reason", "refusal_details"])


class SupportingDocument(models.Model):
    """A file that backs an access request (a mandate, a power of attorney, a court order)."""

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="supporting_documents", verbose_name=_("access request")
    )
    stored_file = models.OneToOneField(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("received file")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.stored_file.display_name


class AccessGrantQuerySet(models.QuerySet):
    def active(self, today=None):
        """Not revoked and not expired: a grant ends by itself after its last day."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )


class AccessGrant(models.Model):
    """A person's access to a case file: the whole of it or chosen documents, in one capacity, until a date."""

    class Scope(models.TextChoices):
        WHOLE = "whole", _("The whole case file")
        CHOSEN = "chosen", _("Chosen documents")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants", verbose_name=_("person")
    )
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="access_grants", verbose_name=_("case file")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_grants",
        verbose_name=_("as party"),
        help_text=_("The party the person is, or acts for; documents shown to some parties only follow it."),
    )
    capacity = models.CharField(_("capacity"), max_length=40, choices=Capacity.choices)
    acting_for = models.CharField(_("on behalf of"), max_length=200, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
        help_text=_("For a representative: the grant works only while the representation is confirmed."),
    )
    request = models.OneToOneField(
        AccessRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant",
        verbose_name=_("access request"),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.WHOLE)
    documents = models.ManyToManyField(Document, blank=True, related_name="access_grants", verbose_name=_("documents"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.CharField(_("why it was revoked"), max_length=300, blank=True)
    last_visited_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-granted_at", "id"]
        indexes = [models.Index(fields=["user", "revoked_at", "valid_until"], name="access_grant_user_idx")]

    def __str__(self):
        return f"{self.user} → {self.case_file_id} ({self.get_scope_display()})"

    def is_active(self, today=None):
        today = today or timezone.localdate()
        return self.revoked_at is None and (self.valid_until is None or self.valid_until >= today)
