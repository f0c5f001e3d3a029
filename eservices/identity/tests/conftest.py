"""The real development identity provider (devidp/server.js under node), started once per test session on a
free port, with its own test client registrations and identities."""

import json
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.cache import cache
from joserfc.jwk import RSAKey

from .devidp import account, running_devidp

REDIRECT_URI = "http://testserver/oidc/callback"
POST_LOGOUT_URI = "http://testserver/"
LEVEL400 = "urn:be:fedict:iam:fas:Level400"
LEVEL450 = "urn:be:fedict:iam:fas:Level450"
LEVEL500 = "urn:be:fedict:iam:fas:Level500"
SECRET = "test-client-secret-of-at-least-thirty-two-characters"
NRN = "85073003328"
ACCOUNTS = [
    ("citizen", "Marie", "Dubois", NRN, [LEVEL400, LEVEL450, LEVEL500]),
    ("staffer", "Sophie", "Lambert", "75031366754", [LEVEL450, LEVEL500]),
    ("nonrn", "Sans", "Numéro", None, [LEVEL450]),
    ("badnrn", "Faux", "Numéro", "12345678901", [LEVEL450]),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, lockouts and the provider's cached metadata never leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class DevIdp:
    issuer: str
    client_key: RSAKey


@pytest.fixture(scope="session")
def devidp(tmp_path_factory):
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    common = {"redirect_uris": [REDIRECT_URI], "post_logout_redirect_uris": [POST_LOGOUT_URI]}
    clients = [
        {
            **common,
            "client_id": "secm-test-pkjwt",
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "RS256",
            "jwks": {"keys": [key.as_dict(private=False)]},
            "userinfo_signed_response_alg": "RS256",
            "request_object_signing_alg": "RS256",
        },
        {
            **common,
            "client_id": "secm-test-secret",
            "client_secret": SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
        },
    ]
    accounts = [account(*row) for row in ACCOUNTS]
    with running_devidp(tmp_path_factory.mktemp("devidp"), clients, accounts) as issuer:
        yield DevIdp(issuer=issuer, client_key=key)


@pytest.fixture
def oidc(settings, devidp):
    """Points the relying party at the development provider (private_key_jwt client, JWT userinfo)."""
    settings.OIDC_ISSUER = devidp.issuer
    settings.OIDC_CLIENT_ID = "secm-test-pkjwt"
    settings.OIDC_CLIENT_AUTH_METHOD = "private_key_jwt"
    settings.OIDC_CLIENT_PRIVATE_KEY = json.dumps(devidp.client_key.as_dict(private=True))
    settings.OIDC_CLIENT_SECRET = ""
    settings.OIDC_REDIRECT_URI = REDIRECT_URI
    settings.OIDC_POST_LOGOUT_REDIRECT_URI = POST_LOGOUT_URI
    settings.OIDC_REQUEST_OBJECT = False
    settings.MANDATE_SOURCE = ""
    return devidp


def start(client, path="/fr/account/login/oidc/"):
    """The relying party's redirect to the provider's authorization endpoint."""
    response = client.get(path)
    assert response.status_code == 302, response.content
    return response["Location"]


def authorize(authorization_url, account, acr, browser=None):
    """Plays the person at the provider over HTTP: picks an identity and a level, returns the callback URL."""
    browser = browser or requests.Session()
    page = browser.get(authorization_url, timeout=10)
    assert page.status_code == 200, page.text
    assert "/interaction/" in page.url, page.text
    response = browser.post(page.url + "/login", data={"account": account, "acr": acr}, allow_redirects=False)
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(REDIRECT_URI):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not redirect back: {response.status_code} {response.text[:500]}")


def callback(client, url):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def log_in_over_oidc(client, account="citizen", acr=LEVEL450, path="/fr/account/login/oidc/"):
    return callback(client, authorize(start(client, path), account, acr))
