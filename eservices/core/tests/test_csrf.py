"""Every state change is a POST with a CSRF token; a GET to a mutating URL gets 405."""

import logging

import pytest
from django.test import Client

from eservices.core.tests import authorisation
from eservices.core.tests.test_authorisation_matrix import REGISTRY, ROUTES, World

KEYS = sorted(set(ROUTES) & set(REGISTRY))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "person", "administrator"])
def test_every_post_without_a_token_is_refused(role, caplog):
    """Whatever the URL, a POST without a CSRF token is refused before any view runs."""
    world = World()
    client = world.client_for(role, enforce_csrf_checks=True)
    accepted = []
    for key in KEYS:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(REGISTRY[key].url(key, world), {"language": "nl"})
        refused_for_csrf = any(record.name == "django.security.csrf" for record in caplog.records)
        if REGISTRY[key].bearer:
            # The API: no cookie is a credential there; without a token (or a client's secret) it refuses.
            if response.status_code not in (400, 401, 405):
                accepted.append((key, response.status_code))
            continue
        if response.status_code != 403 or not refused_for_csrf:
            accepted.append((key, response.status_code))
    assert accepted == []


@pytest.mark.django_db
def test_a_post_with_the_token_passes():
    client = Client(enforce_csrf_checks=True)
    client.get("/fr/")
    token = client.cookies["csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/fr/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/nl/"


@pytest.mark.django_db
@pytest.mark.parametrize("key", [key for key in KEYS if REGISTRY[key].mutating])
def test_a_get_to_a_mutating_url_is_405(key):
    """Whoever passes the URL's gates (login, staff, role) gets 405; the others are refused before."""
    world = World()
    statuses = {}
    for role in authorisation.ROLES:
        response = world.client_for(role).get(REGISTRY[key].url(key, world))
        refused = response.status_code == 403 or authorisation.LOGIN.matches(response)
        assert response.status_code == 405 or refused, (role, response.status_code)
        statuses[role] = response.status_code
    assert 405 in statuses.values()
