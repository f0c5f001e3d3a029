"""What the mailbox does when the outbox reports on an alert (evidence, and a work item when it failed), when
a case file's evidence reaches the end of its retention period (its messages' evidence goes with it), and when
its messages reach theirs (subject and text go; the row, its dates and its digest in the evidence stay)."""

from django.dispatch import receiver

from eservices.casefiles.signals import evidence_subjects, records_due
from eservices.notifications.signals import email_failed, email_sent

from . import services
from .models import Message


@receiver(email_sent, dispatch_uid="mailbox_alert_sent")
def alert_sent(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=True)


@receiver(email_failed, dispatch_uid="mailbox_alert_failed")
def alert_failed(sender, email, **kwargs):
    services.record_alert_outcome(email=email, sent=False)


@receiver(evidence_subjects, dispatch_uid="mailbox_evidence_subjects")
def messages_of(sender, case_file, **kwargs):
    """The case file's messages: their evidence goes with the case file's (``casefiles.retention``)."""
    return list(Message.objects.filter(case_file=case_file))


REMOVED_TEXT = "[removed]"


@receiver(records_due, dispatch_uid="mailbox_records_due")
def remove_message_texts(sender, case_file, kind, dry_run, **kwargs):
    if kind != "messages":
        return 0
    messages = Message.objects.filter(case_file=case_file).exclude(subject=REMOVED_TEXT, text="")
    count = messages.count()
    if not dry_run:
        messages.update(subject=REMOVED_TEXT, text="")
    return count
