"""Requests only insert audit entries; the sequencer seals them into the chain in batches, under a lease."""

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eservices.audit import chain, sequencer
from eservices.audit.models import AuditEvent
from eservices.audit.services import checkpoint, record, seal_pending, verify_chain
from eservices.audit.tests.tampering import tamper
from eservices.core import leases
from eservices.identity.tests.factories import UserFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers and locks")


@pytest.fixture
def sequenced(settings):
    settings.AUDIT_SEALING = "sequencer"
    return settings


def verify_audit():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_request_only_inserts_its_entry(sequenced):
    actor = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        event = record("test.one", actor=actor, target=actor, details={"n": 1})
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("INSERT"), statements
    assert "advisory" not in " ".join(statements)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.sequence, stored.entry_hash, stored.seal, stored.sealed_at) == (None, None, None, None)
    assert chain.stamp_is_valid(stored)


@pytest.mark.django_db
def test_the_sequencer_seals_waiting_entries_in_the_order_of_their_ids(sequenced):
    actor = UserFactory()
    events = [record(f"test.e{n}", actor=actor, details={"n": n}) for n in range(5)]
    report = verify_chain()
    assert report.intact and report.entries == 0 and report.unsealed == 5 and not report.overdue
    sealed = seal_pending()
    assert [event.pk for event in sealed] == [event.pk for event in events]
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [event.sequence for event in stored] == [1, 2, 3, 4, 5]
    assert stored[0].previous_hash == chain.GENESIS and all(event.sealed_at for event in stored)
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    record("test.later")
    assert [event.sequence for event in seal_pending()] == [6]
    assert "Audit trail intact: 6 entries, head #6" in verify_audit()
    assert seal_pending() == []


@pytest.mark.django_db
def test_batches_are_bounded_and_the_checkpoint_covers_the_sealed_head(sequenced):
    for n in range(7):
        record("test.batch", details={"n": n})
    assert len(seal_pending(limit=3)) == 3
    saved = checkpoint()
    assert saved.sequence == 3
    assert sequencer.seal_all() == 4
    assert verify_chain().intact and verify_chain().head_sequence == 7


@pytest.mark.django_db
def test_entries_left_unsealed_beyond_the_bound_are_reported(sequenced):
    event = record("test.waiting")
    assert "1 waiting to be sealed" in verify_audit()
    tamper(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
        [timezone.now() - datetime.timedelta(seconds=sequenced.AUDIT_SEAL_BOUND + 5), event.pk],
    )
    # Its stamp covers the time: the sequencer will not seal the edited entry either.
    report = verify_chain()
    assert report.overdue == (event.pk,) and not report.sound
    with pytest.raises(CommandError, match="not written by the portal"):
        verify_audit()


@pytest.mark.django_db
def test_a_late_entry_is_reported_as_overdue(sequenced):
    event = record("test.waiting")
    report = verify_chain(bound=0)
    assert report.overdue == (event.pk,) and not report.unstamped
    sequenced.AUDIT_SEAL_BOUND = 0
    with pytest.raises(CommandError, match=rf"1 entries left unsealed for more than 0 s .*ids {event.pk}"):
        verify_audit()
    seal_pending()
    assert "intact: 1 entries" in verify_audit()


@pytest.mark.django_db
def test_a_row_slipped_into_the_queue_is_not_sealed(sequenced):
    """Someone with database access inserts an unsealed entry: without the stamp, the sequencer refuses it."""
    record("test.genuine")
    tamper(
        "INSERT INTO audit_auditevent (occurred_at, actor_label, capacity, action, object_type, object_id, "
        "object_repr, unit_code, details, stamp) "
        "VALUES (%s, '', '', 'login.succeeded', '', '', '', '', '{}', %s)",
        [timezone.now(), "0" * 64],
    )
    record("test.genuine")
    sealed = seal_pending()
    assert [event.action for event in sealed] == ["test.genuine", "test.genuine"]
    report = verify_chain()
    assert report.intact and report.entries == 2 and len(report.unstamped) == 1
    with pytest.raises(CommandError, match="1 entries waiting to be sealed were not written by the portal"):
        verify_audit()


@pytest.mark.django_db
def test_the_sequencer_works_only_under_the_lease(sequenced):
    record("test.one")
    assert leases.acquire(sequencer.LEASE, "another machine", seconds=60)
    assert sequencer.step("me") is None
    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 1
    leases.release(sequencer.LEASE, "another machine")
    assert sequencer.step("me") == 1
    assert sequencer.step("me") == 0


@pytest.mark.django_db
def test_inline_sealing_gives_the_place_at_once(settings):
    settings.AUDIT_SEALING = "inline"
    event = record("test.inline")
    assert event.sequence == 1 and event.entry_hash and event.seal and event.sealed_at
    assert AuditEvent.objects.get(pk=event.pk).sequence == 1


@pytest.mark.django_db
def test_the_command_seals_once(sequenced):
    from io import StringIO

    record("test.one")
    out = StringIO()
    call_command("run_audit_sequencer", "--once", stdout=out)
    assert "sealed: 1" in out.getvalue()


@postgresql_only
@pytest.mark.django_db
def test_the_trigger_lets_the_seal_be_filled_once_and_nothing_else(sequenced):
    event = record("test.trigger", details={"n": 1})
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        # Filling the seal while changing the content: refused.
        AuditEvent.objects.filter(pk=event.pk).update(
            sequence=1, previous_hash="0" * 64, entry_hash="1" * 64, seal="2" * 64, sealed_at=timezone.now(), action="x"
        )
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        # Filling part of the seal: refused.
        AuditEvent.objects.filter(pk=event.pk).update(sequence=1)
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    seal_pending()
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(seal="3" * 64, sequence=2)
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(sequence=None, previous_hash=None)
    assert verify_chain().intact and verify_chain().entries == 1


def _record_many(count, worker):
    try:
        for n in range(count):
            with transaction.atomic():
                record("test.concurrent", details={"worker": worker, "n": n})
    finally:
        connections.close_all()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_and_a_running_sequencer_give_one_intact_chain(sequenced):
    """Requests commit side by side (no lock) while the sequencer seals; an entry committed after a higher id
    was sealed is sealed in a later batch, never lost."""
    stop = threading.Event()
    runner = threading.Thread(target=sequencer.run, args=("test", stop), kwargs={"interval": 0.01})
    runner.start()
    writers = [threading.Thread(target=_record_many, args=(50, worker)) for worker in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    runner.join()
    sequencer.seal_all()
    report = verify_chain()
    assert report.intact and report.entries == 200 and report.unsealed == 0
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 201))
