"""What the mailbox does when the outbox reports on an alert: evidence, and a work item when it failed."""

from django.dispatch import receiver

from eservices.notifications.signals import email_failed, email_sent

from . import services


@receiver(email_sent, dispatch_uid="mailbox_alert_sent")
def alert_sent(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=True)


@receiver(email_failed, dispatch_uid="mailbox_alert_failed")
def alert_failed(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=False)
