"""Appends from several connections at once never fork the chain (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from eservices.audit.models import AuditEvent
from eservices.audit.services import record, verify_chain

THREADS, APPENDS = 6, 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_chain():
    start = threading.Barrier(THREADS)
    errors = []

    def append(worker):
        try:
            start.wait(timeout=30)
            for n in range(APPENDS):
                # Half of the appends run inside a longer transaction, as use cases do.
                with transaction.atomic():
                    record("test.concurrent", details={"worker": worker, "n": n})
                    if n % 2:
                        record("test.concurrent.second", details={"worker": worker, "n": n})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    expected = THREADS * (APPENDS + APPENDS // 2)
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, expected + 1))
    report = verify_chain()
    assert report.intact, report.first_break
    assert report.entries == expected
