import pytest

from eservices.audit.models import AuditEvent
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for, record_event
from eservices.identity.tests.factories import UserFactory


@pytest.mark.django_db
def test_an_evidence_event_is_recorded_and_audited():
    person, subject = UserFactory(), UserFactory()
    event = record_event(EvidenceEvent.Event.OPENED, subject=subject, actor=person, capacity="concerned_person")
    assert list(events_for(subject)) == [event]
    assert event.actor_label == str(person)
    assert AuditEvent.objects.filter(action="evidence.opened", object_id=str(subject.pk)).exists()
