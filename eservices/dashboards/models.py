"""What the dashboards need besides the portal's own data: the paper items staff record, the points of attention
they write for the semester report, and the reports built in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eservices.units.models import Unit


class PaperExchange(models.Model):
    """Paper items a unit sent or received outside the portal on one day (the portal counts its own exchanges)."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Sent on paper")
        RECEIVED = "received", _("Received on paper")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    occurred_on = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    count = models.PositiveIntegerField(_("number of items"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper exchange")
        verbose_name_plural = _("paper exchanges")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["unit", "occurred_on"], name="paper_exchange_unit_day_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="paper_exchange_count_positive")]

    def __str__(self):
        return f"{self.unit_id} {self.occurred_on} {self.direction} {self.count}"


class Objective(models.TextChoices):
    """The objectives of the semester report's integrated table: one per figure of the dashboard."""

    CASE_FILES = "casefiles", _("Case files within their phase target")
    PHASES = "phases", _("Phases ended within their target")
    ACCESS = "access", _("Access requests decided on time")
    DEPOSITS = "deposits", _("Deposits triaged on time")
    NOTIFICATIONS = "notifications", _("Notifications opened")
    CHANNELS = "channels", _("Share of electronic exchanges")


class AttentionPoint(models.Model):
    """What staff write about one objective of one unit for one semester: the report's "points of attention"."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    semester_start = models.DateField(_("semester starting on"))
    objective = models.CharField(_("objective"), max_length=20, choices=Objective.choices)
    text = models.TextField(_("points of attention"), max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("point of attention")
        verbose_name_plural = _("points of attention")
        ordering = ["semester_start", "unit", "objective"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "semester_start", "objective"], name="one_attention_point_per_objective"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.semester_start} {self.objective}"


class SemesterReport(models.Model):
    """A semester report asked for by a staff member, built in the background (progress in percent)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    semester_start = models.DateField(_("semester starting on"))
    language = models.CharField(_("language"), max_length=2, choices=[("fr", "FR"), ("nl", "NL")])
    unit_codes = models.JSONField(_("units"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("semester report")
        verbose_name_plural = _("semester reports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.semester_start} {self.language} {','.join(self.unit_codes)}"
