"""An answer to "more information needed" never reopens a request staff decided meanwhile."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from eservices.access import services
from eservices.access.models import AccessRequest, RefusalReason
from eservices.audit.models import AuditEvent
from eservices.identity.models import Capacity


def asked(world):
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X"
    )
    services.ask_for_information(actor=world.clerk, access_request=access_request, question="Mandat ?")
    return access_request


def assert_still_refused(access_request):
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.REFUSED
    assert access_request.additional_information == ""
    assert not AuditEvent.objects.filter(action="access.information_added").exists()


def test_an_answer_on_a_copy_loaded_before_the_refusal_is_refused(world):
    """The requester's page loaded the request before the clerk refused it: the answer is turned down."""
    stale = asked(world)
    services.refuse(
        actor=world.clerk, access_request=AccessRequest.objects.get(pk=stale.pk), reason=RefusalReason.NOT_A_PARTY
    )
    with pytest.raises(ValidationError) as refusal:
        services.add_information(actor=world.outsider, access_request=stale, text="Voici le mandat")
    assert refusal.value.code == "decided"
    assert_still_refused(stale)
    # Nor can the refused request be granted afterwards (the person would get both answers).
    with pytest.raises(ValidationError):
        services.grant(actor=world.clerk, access_request=AccessRequest.objects.get(pk=stale.pk))


def _waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_a_refusal_waits_for_it_and_is_refused(world):
    """Two transactions: the clerk's refusal holds the row; the requester's answer, started meanwhile on a
    copy read before, waits for the refusal to commit and then sees it (rather than overwriting it)."""
    stale = asked(world)
    refused = threading.Event()
    outcome = {}

    def answer():
        try:
            refused.wait(timeout=30)
            services.add_information(actor=world.outsider, access_request=stale, text="Voici le mandat")
            outcome["result"] = "added"
        except ValidationError as error:
            outcome["result"] = error.code
        finally:
            connections.close_all()

    requester = threading.Thread(target=answer)
    requester.start()
    with transaction.atomic():
        services.refuse(
            actor=world.clerk, access_request=AccessRequest.objects.get(pk=stale.pk), reason=RefusalReason.NOT_A_PARTY
        )
        refused.set()
        # Hold the refusal uncommitted until the requester's transaction is blocked on the row.
        for _attempt in range(3000):
            if _waiting_on_a_lock() or not requester.is_alive():
                break
            threading.Event().wait(0.01)
    requester.join(timeout=60)
    assert outcome == {"result": "decided"}
    assert_still_refused(stale)
