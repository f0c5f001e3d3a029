"""Read pages write nothing but the evidence the law requires (one insert: the consultation's audit entry), with the
audit chain sealed by the sequencer as in production; the grants' last visit follows in the scheduler's batch."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import log_in
from eservices.access.models import AccessGrant
from eservices.access.services import apply_visits
from eservices.audit.models import AuditEvent
from eservices.audit.services import seal_pending

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture
def production_sealing(settings):
    settings.AUDIT_SEALING = "sequencer"


def writes_of(client, path):
    client.get(path)  # the first request may refresh the session's last-seen time (every 30 s at most)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return [query["sql"] for query in queries.captured_queries if WRITE.match(query["sql"])]


def only_the_consultation(writes):
    return len(writes) == 1 and writes[0].startswith(f'INSERT INTO "{AuditEvent._meta.db_table}"')


def test_opening_a_case_file_writes_only_its_consultation(world, client, production_sealing):
    log_in(client, world.concerned_user)
    writes = writes_of(client, f"/en/case-files/{world.case_file.pk}/")
    assert only_the_consultation(writes), writes
    grant = AccessGrant.objects.get(pk=world.concerned_grant.pk)
    assert grant.last_visited_at is None  # not on the request path


def test_staff_opening_a_case_file_write_only_its_consultation(world, client, production_sealing):
    log_in(client, world.clerk)
    assert only_the_consultation(writes_of(client, f"/en/case-files/{world.case_file.pk}/"))


@pytest.mark.parametrize("path", ["/en/case-files/", "/en/"])
def test_list_pages_write_nothing(world, client, production_sealing, path):
    log_in(client, world.concerned_user)
    assert writes_of(client, path) == []


def test_the_mailbox_page_writes_nothing(world, client, production_sealing):
    from eservices.mailbox import services

    box = services.mailbox_of_user(world.concerned_user)
    log_in(client, world.concerned_user)
    assert writes_of(client, f"/en/mailbox/{box.pk}/") == []


def test_the_last_visit_follows_in_the_batch_and_never_goes_back(world, client, production_sealing):
    log_in(client, world.concerned_user)
    client.get(f"/en/case-files/{world.case_file.pk}/")
    seal_pending()
    consulted = AuditEvent.objects.filter(action="casefile.consulted").latest("id").occurred_at
    assert apply_visits() == 1
    assert AccessGrant.objects.get(pk=world.concerned_grant.pk).last_visited_at == consulted
    assert apply_visits() == 0  # already there
    later = timezone.now() + datetime.timedelta(hours=1)
    AccessGrant.objects.filter(pk=world.concerned_grant.pk).update(last_visited_at=later)
    assert apply_visits() == 0 and AccessGrant.objects.get(pk=world.concerned_grant.pk).last_visited_at == later


def test_staff_consultations_move_no_grant(world, client, production_sealing):
    log_in(client, world.clerk)
    client.get(f"/en/case-files/{world.case_file.pk}/")
    assert apply_visits() == 0
