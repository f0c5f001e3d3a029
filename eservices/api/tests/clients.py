"""API clients for tests: registered through the service, with a real token from the token endpoint."""

import base64

from django.test import Client

from eservices.api import services
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

SECRETS = {}


def administrator(unit):
    """A new functional administrator of ``unit``."""
    return StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)


def register(name, units, scopes, *, by=None):
    """A registered client (and its secret, kept in ``SECRETS``)."""
    client, secret = services.register_client(
        actor=by or administrator(units[0]), name=name, units=units, scopes=scopes
    )
    SECRETS[client.pk] = secret
    return client


def token_for(api_client, scope=None, http=None):
    """A bearer token from the token endpoint, by HTTP Basic with the client's id and secret."""
    http = http or Client()
    application = api_client.application
    credentials = base64.b64encode(f"{application.client_id}:{SECRETS[api_client.pk]}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = http.post("/api/v1/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def api(token):
    """A test client sending the bearer token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
