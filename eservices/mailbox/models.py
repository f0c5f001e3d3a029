"""Mailboxes of persons and companies, the messages units place in them, and the rules that give them effect."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile, Document
from eservices.identity.models import Company
from eservices.notifications.models import OutboxEmail
from eservices.units.models import Unit


def _person(verbose_name, *, optional=True):
    """A reference to the user who did something (kept: users are never deleted while referred to)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name="+",
        verbose_name=verbose_name,
    )


class Mailbox(models.Model):
    """The mailbox of one person or one company; independent of case-file access.

    A company's mailbox is read by its confirmed representatives.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailbox",
        verbose_name=_("person"),
    )
    company = models.OneToOneField(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="mailbox", verbose_name=_("company")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, company__isnull=True)
                | models.Q(user__isnull=True, company__isnull=False),
                name="mailbox_of_a_person_or_a_company",
            )
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.company.name


class MessageKind(models.TextChoices):
    NOTIFICATION = "notification", _("Formal notification")
    COMMUNICATION = "communication", _("Communication")


class TimeLimitStart(models.TextChoices):
    OPENED = "opened", _("When opened (or deemed received)")
    MADE_AVAILABLE = "made_available", _("When made available (only where the procedure's text says so)")


# Deemed receipt on the third working day, as art. 53bis, 2° does for a letter posted (docs/deadlines.md).
LAW_DEEMED_RECEIVED_WORKING_DAYS = 3


class StartEvent(models.TextChoices):
    """The event from which a message's time limit runs (Judicial Code art. 53bis), shown on the deadline screen."""

    MADE_AVAILABLE = "made_available", _("made available in the mailbox")
    OPENED = "opened", _("opened")
    DEEMED_RECEIVED = "deemed_received", _("deemed received")
    PAPER_LETTER = "paper_letter", _("paper letter (third working day after posting)")


class DeliveryRule(models.Model):
    """A unit's rule for one kind of message: when it is deemed received, when staff fall back to paper, when
    the addressee is reminded, and from which event its time limit runs. Without a rule, the defaults apply: the
    law's (docs/deadlines.md). A rule that departs from them states the procedure's text it follows."""

    DEFAULT_DEEMED_RECEIVED_DAYS = LAW_DEEMED_RECEIVED_WORKING_DAYS
    DEFAULT_NOT_OPENED_DAYS = 15
    DEFAULT_REMINDER_DAYS_BEFORE = 2

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="delivery_rules", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    deemed_received_days = models.PositiveSmallIntegerField(
        _("deemed received after (working days)"), default=DEFAULT_DEEMED_RECEIVED_DAYS
    )
    not_opened_days = models.PositiveSmallIntegerField(
        _("paper fallback when not opened after (days)"), default=DEFAULT_NOT_OPENED_DAYS
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder before the deemed date (days)"), default=DEFAULT_REMINDER_DAYS_BEFORE
    )
    time_limit_start = models.CharField(
        _("time limits run from"), max_length=20, choices=TimeLimitStart.choices, default=TimeLimitStart.OPENED
    )
    legal_source = models.CharField(
        _("legal source"),
        max_length=300,
        blank=True,
        help_text=_(
            "Required when the rule departs from the law's defaults (deemed received after 3 working days, time "
            "limits from the opening): the text of the procedure that says so."
        ),
    )

    class Meta:
        verbose_name = _("delivery rule")
        verbose_name_plural = _("delivery rules")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="one_delivery_rule_per_unit_and_kind"),
            models.CheckConstraint(
                condition=~models.Q(legal_source="")
                | models.Q(
                    deemed_received_days=LAW_DEEMED_RECEIVED_WORKING_DAYS, time_limit_start=TimeLimitStart.OPENED
                ),
                name="delivery_rule_departs_from_the_law_only_with_a_source",
                violation_error_message=_(
                    "A rule that departs from the law's defaults needs the legal source that allows it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit.code} – {self.get_kind_display()}"


class Dispatch(models.Model):
    """A sending that staff prepare in a case file: its addressees and content, previewed, then sent once.

    Sending it places one message in each addressee's mailbox; sending it again changes nothing.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("unit"))
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("case file")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("documents"))
    addressees = models.ManyToManyField(Mailbox, related_name="+", verbose_name=_("addressees"))
    time_limit_months = models.PositiveSmallIntegerField(_("time limit (months)"), default=0)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), default=0)
    created_by = _person(_("prepared by"), optional=False)
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.case_file} – {self.subject}"


class Message(models.Model):
    """A notification or a communication from a unit, placed in one mailbox, with its delivery dates."""

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.PROTECT, null=True, blank=True, related_name="messages", verbose_name=_("dispatch")
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages", verbose_name=_("mailbox"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="messages", verbose_name=_("unit"))
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, null=True, blank=True, related_name="messages", verbose_name=_("case file")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="messages", verbose_name=_("documents"))
    sent_by = _person(_("sent by"), optional=False)
    made_available_at = models.DateTimeField(_("made available at"))
    # Dates computed when the message is made available, from the unit's rule (notifications only).
    deemed_received_at = models.DateTimeField(_("deemed received at"), null=True, blank=True)
    reminder_at = models.DateTimeField(_("reminder at"), null=True, blank=True)
    not_opened_after = models.DateTimeField(_("paper fallback after"), null=True, blank=True)
    # The time limit that runs from the message, and its last day once its start is known.
    time_limit_months = models.PositiveSmallIntegerField(_("time limit (months)"), default=0)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), default=0)
    time_limit_start = models.CharField(
        _("time limit runs from"), max_length=20, choices=TimeLimitStart.choices, default=TimeLimitStart.OPENED
    )
    time_limit_started_by = models.CharField(
        _("time limit started by"), max_length=20, choices=StartEvent.choices, blank=True
    )
    time_limit_started_on = models.DateField(_("time limit started on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # What happened to it.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = _person(_("opened by"))
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    alerts = models.ManyToManyField(
        OutboxEmail, blank=True, related_name="mailbox_messages", verbose_name=_("e-mail alerts")
    )
    alert_sent_at = models.DateTimeField(_("alert sent at"), null=True, blank=True)
    alert_failed_at = models.DateTimeField(_("alert failed at"), null=True, blank=True)
    alert_failure_handled_at = models.DateTimeField(_("failed alert handled at"), null=True, blank=True)
    alert_failure_handled_by = _person(_("failed alert handled by"))
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    deemed_received_recorded_at = models.DateTimeField(_("deemed received recorded at"), null=True, blank=True)
    not_opened_recorded_at = models.DateTimeField(_("not opened recorded at"), null=True, blank=True)
    paper_letter_sent_on = models.DateField(_("paper letter sent on"), null=True, blank=True)
    paper_letter_recorded_by = _person(_("paper letter recorded by"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-made_available_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "mailbox"], name="one_message_per_dispatch_and_mailbox")
        ]
        indexes = [
            models.Index(fields=["mailbox", "-made_available_at", "-id"], name="mailbox_message_list_idx"),
            models.Index(fields=["mailbox", "archived_at", "opened_at"], name="mailbox_message_unread_idx"),
            models.Index(fields=["opened_at", "deemed_received_at"], name="mailbox_message_due_idx"),
        ]

    def __str__(self):
        return self.subject

    @property
    def has_time_limit(self):
        return bool(self.time_limit_months or self.time_limit_days)


class FilterChoice(models.Model):
    """A case file or a unit that appears in a mailbox: the choices of its filters, added as messages are placed
    (``services._place``) rather than recomputed over all its messages on each view (issue 15). A choice stays
    when its messages go (retention): the filter then finds none."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.CASCADE, related_name="filter_choices", verbose_name=_("mailbox")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("filter choice")
        verbose_name_plural = _("filter choices")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "unit"], condition=models.Q(unit__isnull=False), name="one_unit_choice_per_mailbox"
            ),
            models.UniqueConstraint(
                fields=["mailbox", "case_file"],
                condition=models.Q(case_file__isnull=False),
                name="one_case_file_choice_per_mailbox",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(case_file__isnull=True), name="unit_or_case_file"
            ),
        ]

    def __str__(self):
        return str(self.case_file or self.unit)
