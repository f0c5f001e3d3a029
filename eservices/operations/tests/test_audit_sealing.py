"""The scheduler seals the audit entries that wait (its catch-up job), and runs the sequencer's thread."""

import threading

import pytest

from eservices.audit import sequencer
from eservices.audit.models import AuditEvent
from eservices.audit.services import record
from eservices.operations import scheduler


@pytest.mark.django_db
def test_the_catch_up_job_seals_what_waits(settings):
    settings.AUDIT_SEALING = "sequencer"
    record("test.waiting")
    record("test.waiting")
    assert "audit_seal" in scheduler.run_due("me")
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_the_sequencer_thread_seals_and_stops(settings):
    settings.AUDIT_SEALING = "sequencer"
    record("test.waiting")
    thread, stop = sequencer.start_thread("me")
    try:
        for _ in range(100):
            if not AuditEvent.objects.filter(sequence__isnull=True).exists():
                break
            threading.Event().wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert AuditEvent.objects.get().sequence == 1
