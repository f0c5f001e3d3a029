"""A download is decided in few queries, takes no lock, and still leaves its DOWNLOADED evidence (issue 15).

With the audit chain sealed by the sequencer, as in production: the statements of one download are the session,
the user, the document (with its case file), the staff check, the grant, then the two inserts of the evidence
and its audit entry; no advisory lock, no read of the chain's head, no savepoint."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.evidence.models import EvidenceEvent

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture
def production_sealing(settings):
    settings.AUDIT_SEALING = "sequencer"


def download(client, path, **headers):
    client.get(path, **headers)  # the session's last-seen time may be refreshed on the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    statements = [query["sql"] for query in queries.captured_queries]
    # The use case's own transaction: BEGIN/COMMIT in production, a savepoint inside the test's transaction.
    savepoints = [sql for sql in statements if "SAVEPOINT" in sql]
    assert len(savepoints) in (0, 2), savepoints
    return response, [sql for sql in statements if "SAVEPOINT" not in sql]


@pytest.mark.parametrize("reader", ["lawyer_user", "concerned_user", "clerk"])
def test_a_download_is_decided_in_few_queries_and_leaves_its_evidence(world, client, production_sealing, reader):
    log_in(client, getattr(world, reader))
    before = EvidenceEvent.objects.filter(event="downloaded").count()
    response, statements = download(client, f"/en/documents/{world.public.pk}/download")
    assert response.status_code == 200
    assert len(statements) <= 7, statements
    writes = [sql for sql in statements if WRITE.match(sql)]
    assert [sql.split('"')[1] for sql in writes] == [AuditEvent._meta.db_table, EvidenceEvent._meta.db_table]
    joined = " ".join(statements).lower()
    assert "advisory" not in joined
    assert EvidenceEvent.objects.filter(event="downloaded").count() == before + 2
    evidence = EvidenceEvent.objects.filter(event="downloaded").latest("id")
    assert evidence.audit_event.action == "evidence.downloaded" and evidence.audit_event.sequence is None


def test_a_continued_range_is_not_recorded_again_and_writes_nothing(world, client, production_sealing):
    log_in(client, world.lawyer_user)
    before = EvidenceEvent.objects.filter(event="downloaded").count()
    response, statements = download(client, f"/en/documents/{world.public.pk}/download", HTTP_RANGE="bytes=10-")
    assert response.status_code == 206
    assert not [sql for sql in statements if WRITE.match(sql)]
    assert EvidenceEvent.objects.filter(event="downloaded").count() == before


def test_a_document_shown_to_some_parties_costs_one_more_query(world, client, production_sealing):
    log_in(client, world.lawyer_user)
    response, statements = download(client, f"/en/documents/{world.for_concerned.pk}/download")
    assert response.status_code == 200 and len(statements) <= 8, statements
