"""The abuse limits of the portal's forms: access requests (issue 8)."""

import pytest

from conftest import log_in, set_rates
from eservices.access.models import AccessRequest
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_access_requests_are_rate_limited_per_person(client, settings):
    set_rates(settings, "access_request", user_or_ip="2/h")
    log_in(client, UserFactory())
    url = "/fr/access-requests/new/"
    assert client.get(url).status_code == 200
    assert [client.post(url, {}).status_code for _ in range(2)] == [200, 200]  # counted, even when invalid
    response = client.post(url, {})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert client.get(url).status_code == 200  # reading the form is not counted
    assert not AccessRequest.objects.exists()


def test_another_person_has_their_own_count(client, settings):
    set_rates(settings, "access_request", user_or_ip="1/h")
    url = "/fr/access-requests/new/"
    log_in(client, UserFactory())
    assert [client.post(url, {}).status_code for _ in range(2)] == [200, 429]
    log_in(client, UserFactory())
    assert client.post(url, {}).status_code == 200
