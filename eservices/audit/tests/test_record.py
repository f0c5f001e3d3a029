import pytest
from django.test import RequestFactory

from eservices.audit.services import record
from eservices.identity.tests.factories import UserFactory


@pytest.mark.django_db
def test_record_keeps_actor_capacity_object_time_and_address():
    user = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    event = record("casefile.viewed", capacity="lawyer", target=user, request=request, details={"note": "x"})
    assert event.actor == user
    assert event.capacity == "lawyer"
    assert event.object_type == "identity.user"
    assert event.object_id == str(user.pk)
    assert event.client_address == "192.0.2.7"
    assert event.occurred_at is not None
