"""Evidence of delivery events (after ETSI EN 319 522): dated statements of what happened to a deposit or a
message, kept apart from what they prove and referring to it by a generic reference."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceEvent(models.Model):
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

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="evidence_subject_idx")]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_event_display()}"
