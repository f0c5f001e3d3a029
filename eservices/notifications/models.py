"""The e-mail outbox: every mail is a row first, so that a crash or a mail server outage loses nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """One rendered e-mail waiting for, or past, delivery to the mail server."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed after retries")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    template = models.CharField(_("template"), max_length=100)
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Alerts with the same key that wait together leave as one mail (see services.queue_email).
    group_key = models.CharField(_("group"), max_length=200, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    # Printed at the foot of the mail: the public page confirms "sent by the portal on ..." for it, and nothing
    # more (a phishing mail cannot show a code the portal knows). Empty for mails queued before codes existed.
    check_code = models.CharField(_("check code"), max_length=11, blank=True, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["group_key", "status"], name="outbox_group_idx"),
        ]

    def __str__(self):
        return f"{self.template} → {self.to} ({self.status})"
