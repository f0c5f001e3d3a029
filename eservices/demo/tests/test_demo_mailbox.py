import pytest
from django.core.management import call_command
from django.utils import timezone

from eservices.evidence.models import EvidenceEvent
from eservices.identity.models import User
from eservices.mailbox.models import Message, MessageKind
from eservices.mailbox.queries import paper_fallback_for_staff


@pytest.mark.django_db
def test_demo_mailbox_is_varied_and_idempotent():
    call_command("load_demo")
    first = (Message.objects.count(), EvidenceEvent.objects.count())
    call_command("load_demo")
    assert (Message.objects.count(), EvidenceEvent.objects.count()) == first
    notifications = Message.objects.filter(kind=MessageKind.NOTIFICATION)
    assert notifications.filter(opened_at__isnull=False).exists()
    assert notifications.filter(opened_at__isnull=True).exists()
    assert notifications.filter(deadline__isnull=False).exists()
    assert Message.objects.filter(deadline__isnull=True).exists()
    assert Message.objects.filter(mailbox__company__isnull=False).exists()
    overdue = list(paper_fallback_for_staff(User.objects.get(username="fd.secm")))
    assert len(overdue) == 1
    assert overdue[0].deadline < timezone.localdate()  # not opened, past its time limit
