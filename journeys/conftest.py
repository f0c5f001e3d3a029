"""Fixtures of the journey tests: a live portal, the development identity provider registered for it, Chromium,
and one small world of people who log in through the provider as a person would.

``pytest journeys --screenshots docs/screenshots`` (``make screenshots``) also saves the main screens.
"""

import json

import pytest
from joserfc.jwk import RSAKey

from eservices.access.tests.personas import build_world
from eservices.identity import crypto, nrn
from eservices.identity.tests.devidp import account, running_devidp

from .helpers import LEVEL450, LEVEL500, Journey

# account id at the provider -> (first name, last name, national number, levels); the world's users get the numbers
IDENTITIES = {
    "concerned": ("Marie", "Dubois", "92070222745", [LEVEL450]),
    "lawyer": ("Camille", "Rousseau", "87070677647", [LEVEL450]),
    "outsider": ("Thomas", "Van Damme", "73100312134", [LEVEL450]),
    "clerk": ("Julie", "Renard", "82070324776", [LEVEL450, LEVEL500]),
}


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=None, help="folder where the journeys save the main screens")


@pytest.fixture(scope="session")
def journey_idp(live_server, tmp_path_factory):
    """The development provider with one client registered for the live portal's callback and logout pages."""
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    client = {
        "client_id": "secm-journeys",
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
        "jwks": {"keys": [key.as_dict(private=False)]},
        "redirect_uris": [f"{live_server.url}/oidc/callback"],
        "post_logout_redirect_uris": [f"{live_server.url}/oidc/logged-out"],
        "userinfo_signed_response_alg": "RS256",
    }
    accounts = [account(name, *identity) for name, identity in IDENTITIES.items()]
    with running_devidp(tmp_path_factory.mktemp("journey-idp"), [client], accounts) as issuer:
        yield issuer, key


@pytest.fixture
def journey(browser, live_server, journey_idp, settings, transactional_db, request):
    """A person's browser on the live portal, logged out, in French, at desktop width; and the world."""
    issuer, key = journey_idp
    settings.SITE_URL = live_server.url
    settings.OIDC_DEV_PROVIDER = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = "secm-journeys"
    settings.OIDC_CLIENT_AUTH_METHOD = "private_key_jwt"
    settings.OIDC_CLIENT_PRIVATE_KEY = json.dumps(key.as_dict(private=True))
    settings.OIDC_CLIENT_SECRET = ""
    settings.OIDC_REDIRECT_URI = f"{live_server.url}/oidc/callback"
    settings.OIDC_POST_LOGOUT_REDIRECT_URI = f"{live_server.url}/oidc/logged-out"
    settings.OIDC_REQUEST_OBJECT = False
    settings.MANDATE_SOURCE = ""
    world = build_world()
    for name, (_, _, number, _) in IDENTITIES.items():
        user = getattr(world, name if name in ("clerk", "outsider") else f"{name}_user")
        user.nrn_hash = nrn.lookup_hash(number)
        user.nrn_encrypted = crypto.encrypt_nrn(number)
        user.preferred_language = "fr"
        user.save()
    context = browser.new_context(base_url=live_server.url, locale="fr-BE", timezone_id="Europe/Brussels")
    screenshots = request.config.getoption("screenshots", default=None)
    yield Journey(context.new_page(), world, screenshots)
    context.close()
