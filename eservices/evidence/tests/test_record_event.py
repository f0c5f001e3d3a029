import pytest
from django.db import DatabaseError, connection, transaction

from eservices.audit.models import AuditEvent
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for, record_event, remove_events
from eservices.identity.tests.factories import UserFactory


@pytest.mark.django_db
def test_an_evidence_event_is_recorded_and_audited():
    person, subject = UserFactory(), UserFactory()
    event = record_event(EvidenceEvent.Event.OPENED, subject=subject, actor=person, capacity="concerned_person")
    assert list(events_for(subject)) == [event]
    assert event.actor_label == str(person)
    assert AuditEvent.objects.filter(action="evidence.opened", object_id=str(subject.pk)).exists()


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE evidence_evidenceevent SET capacity = 'x'", "DELETE FROM evidence_evidenceevent"]
)
def test_the_database_refuses_to_update_or_delete_evidence(statement):
    """Like the audit trail, evidence is append-only: a direct statement is refused, whoever sends it."""
    record_event(EvidenceEvent.Event.OPENED, subject=UserFactory())
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert EvidenceEvent.objects.count() == 1


@postgresql_only
@pytest.mark.django_db
def test_the_orm_cannot_edit_or_delete_evidence_either():
    event = record_event(EvidenceEvent.Event.OPENED, subject=UserFactory())
    event.capacity = "lawyer"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        EvidenceEvent.objects.all().delete()
    assert EvidenceEvent.objects.get().capacity == ""


@pytest.mark.django_db
def test_retention_alone_removes_evidence_of_the_subjects_it_names():
    kept, removed = UserFactory(), UserFactory()
    record_event(EvidenceEvent.Event.OPENED, subject=kept)
    record_event(EvidenceEvent.Event.OPENED, subject=removed)
    record_event(EvidenceEvent.Event.DOWNLOADED, subject=removed)
    assert remove_events([removed]) == 2
    assert list(EvidenceEvent.objects.values_list("subject_id", flat=True)) == [str(kept.pk)]
    assert remove_events([]) == 0
