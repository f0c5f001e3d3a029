"""What the mailbox does when the outbox reports on an alert (evidence, and a work item when it failed), and when
a case file's evidence reaches the end of its retention period."""

from django.dispatch import receiver

from eservices.casefiles.signals import retention_due
from eservices.evidence import services as evidence
from eservices.notifications.signals import email_failed, email_sent

from . import services
from .models import Message


@receiver(email_sent, dispatch_uid="mailbox_alert_sent")
def alert_sent(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=True)


@receiver(email_failed, dispatch_uid="mailbox_alert_failed")
def alert_failed(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=False)


@receiver(retention_due, dispatch_uid="mailbox_retention_due")
def remove_evidence(sender, case_file, kind, dry_run, **kwargs):
    """The evidence of the case file's messages goes with the case file's evidence (``casefiles.retention``)."""
    if kind != "evidence":
        return {}
    messages = list(Message.objects.filter(case_file=case_file))
    if dry_run:
        return {"evidence": sum(evidence.events_for(message).count() for message in messages)}
    return {"evidence": evidence.remove_events(messages)}
