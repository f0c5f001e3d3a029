"""The client's address behind TRUSTED_PROXIES reverse proxies: for the rate limits and the audit trail."""

import pytest
from django.test import Client, RequestFactory

from eservices.audit.models import AuditEvent
from eservices.audit.services import record
from eservices.core.clients import client_address

URL = "/test/limited/"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no proxy: the header is the client's word, ignored
        (1, "198.51.100.7", "198.51.100.7"),  # nginx appended the client's address
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the client's own entry lies further left
        (2, "198.51.100.7, 10.0.0.1", "198.51.100.7"),  # two proxies: the outer one's entry
        (2, "10.0.0.1", "10.0.0.2"),  # fewer entries than proxies: not through them all
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:DB8::0:1", "2001:db8::1"),
    ],
)
def test_the_address_the_outermost_trusted_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.django_db
@pytest.mark.urls("eservices.core.tests.urls_for_tests")
def test_behind_the_proxy_each_client_has_its_own_rate_limit(settings):
    """Everyone reaches the application from the proxy's address; the counters follow the real clients."""
    settings.TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification": {"user_or_ip": "2/m", "ip": "2/m"}}
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert [first.post(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert second.post(URL).status_code == 200
    spoofing = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7")
    assert spoofing.post(URL).status_code == 429  # a made-up entry of its own does not reset its count


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    record("test.proxied", request=request)
    assert AuditEvent.objects.get(action="test.proxied").client_address == "198.51.100.7"
