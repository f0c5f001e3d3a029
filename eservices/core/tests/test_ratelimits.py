"""Abuse limits: past its rate a view answers 429 with a clear, translated page, and the event is logged."""

import json
import logging

import pytest
from django.test import Client

from conftest import log_in
from eservices.core.logs import JsonFormatter
from eservices.identity.tests.factories import UserFactory

URL = "/test/limited/"
pytestmark = [pytest.mark.django_db, pytest.mark.urls("eservices.core.tests.urls_for_tests")]


@pytest.fixture(autouse=True)
def _small_rates(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification": {"user_or_ip": "2/m", "ip": "3/m"}}


def test_past_the_rate_the_user_gets_a_translated_429(caplog):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    log_in(client, UserFactory())
    assert [client.post(URL).status_code for _ in range(2)] == [200, 200]
    with caplog.at_level(logging.WARNING, logger="eservices.security"):
        response = client.post(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    [logged] = [record for record in caplog.records if record.name == "eservices.security"]
    line = json.loads(JsonFormatter().format(logged))
    assert line["event"]["action"] == "ratelimit.exceeded" and line["event"]["path"] == URL


def test_the_429_page_is_translated(client):
    for _ in range(3):
        response = client.post(URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_reads_are_not_counted(client):
    assert {client.get(URL).status_code for _ in range(5)} == {200}


def test_one_address_is_limited_across_users():
    first, second = Client(), Client()
    log_in(first, UserFactory())
    log_in(second, UserFactory())
    assert [first.post(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert second.post(URL).status_code == 429  # the address's 3/m is used up


def test_another_address_has_its_own_count():
    assert [Client(REMOTE_ADDR="192.0.2.1").post(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert Client(REMOTE_ADDR="192.0.2.2").post(URL).status_code == 200


def test_limits_can_be_switched_off(settings):
    settings.RATELIMIT_ENABLE = False
    assert {Client().post(URL).status_code for _ in range(5)} == {200}


def test_only_the_building_block_calls_django_ratelimit():
    """One place for rates: views use rate_limited(group) with a group of settings.RATE_LIMITS."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    direct = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "django_ratelimit" in path.read_text(encoding="utf-8")
        and path.name != "ratelimits.py"
        and "tests" not in path.parts
    ]
    assert direct == []


def test_an_unknown_group_is_refused_at_import():
    from eservices.core.ratelimits import rate_limited

    with pytest.raises(KeyError, match="no group 'nope'"):
        rate_limited("nope")
