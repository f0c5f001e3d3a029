"""The whole login over HTTP against the real development identity provider (node, oidc-provider): the Django
test client plays the browser at the relying party, ``requests`` plays it at the provider."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.html import escape

from eservices.audit.models import AuditEvent
from eservices.identity import crypto, nrn
from eservices.identity.models import OidcAccount, User
from eservices.identity.oidc import LoginError
from eservices.notifications.models import OutboxEmail
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .conftest import LEVEL400, LEVEL450, LEVEL500, NRN, SECRET, authorize, callback, log_in_over_oidc, start

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.services]


def logged_in(client):
    return SESSION_KEY in client.session


def shown(code):
    """The message of a refused login as the French page shows it."""
    with translation.override("fr"):
        return escape(str(LoginError.MESSAGES[code]))


def test_authorization_request_is_fresh_and_asks_only_the_needed_scopes(client, oidc):
    """R1, R7: state, nonce and a PKCE S256 challenge, new every time; only openid profile egovnrn."""
    first = parse_qs(urlsplit(start(client)).query)
    second = parse_qs(urlsplit(start(client)).query)
    assert first["scope"] == ["openid profile egovnrn"]
    assert first["code_challenge_method"] == ["S256"]
    assert first["acr_values"] == [LEVEL450]
    for name in ("state", "nonce", "code_challenge"):
        assert len(first[name][0]) >= 43
        assert first[name] != second[name]


def test_first_login_creates_the_person(client, oidc, caplog):
    """R5, R9, R30: keyed on (iss, sub), a new session key, the NRN hashed and encrypted, never logged in clear."""
    client.get("/fr/")
    anonymous_key = client.session.session_key
    with caplog.at_level(logging.DEBUG):
        response = log_in_over_oidc(client)
    assert response.status_code == 302
    assert response["Location"] == "/nl/"  # prefLanguage
    assert logged_in(client)
    assert client.session.session_key != anonymous_key
    assert client.session["acr"] == LEVEL450
    account = OidcAccount.objects.get(issuer=oidc.issuer, subject="citizen")
    user = account.user
    assert (user.first_name, user.last_name, user.preferred_language) == ("Marie", "Dubois", "nl")
    assert user.nrn_hash == nrn.lookup_hash(NRN)
    assert crypto.decrypt_nrn(user.nrn_encrypted) == NRN
    assert NRN not in user.nrn_encrypted
    assert user.email == "citizen@example.org" and user.email_confirmed_at is None
    assert OutboxEmail.objects.filter(to="citizen@example.org", template="identity/email/confirm_address").exists()
    event = AuditEvent.objects.get(action="login.succeeded")
    assert event.actor == user and event.details["acr"] == LEVEL450 and event.details["nrn"] == "85.07.30-***.**"
    assert NRN not in caplog.text
    assert "85.07.30-***.**" in caplog.text


def test_second_login_finds_the_same_person(client, oidc, django_user_model):
    log_in_over_oidc(client)
    client.post("/fr/account/logout/")
    log_in_over_oidc(client)
    assert django_user_model.objects.filter(oidc_accounts__subject="citizen").count() == 1


def test_provisioned_person_is_found_once_by_national_number(client, oidc):
    """A person created beforehand (staff, demo) is linked at their first login through the NRN hash."""
    staff = StaffFactory(nrn_hash=nrn.lookup_hash("75031366754"))
    log_in_over_oidc(client, account="staffer", acr=LEVEL500)
    assert OidcAccount.objects.get(subject="staffer").user == staff


def test_replayed_callback_is_refused(client, oidc):
    """R1: the same authorization response a second time logs nobody in."""
    url = authorize(start(client), "citizen", LEVEL450)
    assert callback(client, url).status_code == 302
    client.post("/fr/account/logout/")
    response = callback(client, url)
    assert response["Location"] == "/fr/account/login/"
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="state_mismatch").exists()


def test_state_from_another_session_is_refused(client, oidc):
    """R1: a callback carried into another browser (login CSRF) is refused."""
    from django.test import Client

    url = authorize(start(Client()), "citizen", LEVEL450)
    response = callback(client, url)
    assert response.status_code == 302 and response["Location"] == "/fr/account/login/"
    assert not logged_in(client)
    assert User.objects.filter(oidc_accounts__isnull=False).count() == 0


def test_tampered_state_is_refused(client, oidc):
    url = authorize(start(client), "citizen", LEVEL450)
    callback(client, url.replace("state=", "state=x"))
    assert not logged_in(client)
    assert shown("state_mismatch") in client.get("/fr/account/login/").content.decode()


def test_level_below_the_citizen_level_is_refused(client, oidc):
    """R6: Level400 is refused although the request asked for Level450."""
    response = log_in_over_oidc(client, acr=LEVEL400)
    assert response["Location"] == "/fr/account/login/"
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="acr_too_low").exists()
    page = client.get("/fr/account/login/")
    assert shown("acr_too_low") in page.content.decode()


def test_staff_below_the_staff_level_is_refused_the_back_office(client, oidc):
    """R15: a staff member logged in with itsme (Level450) reaches the portal, not the back office."""
    StaffFactory(nrn_hash=nrn.lookup_hash("75031366754"), unit=UnitFactory(code="SECM"))
    log_in_over_oidc(client, account="staffer", acr=LEVEL450)
    assert logged_in(client)
    response = client.get("/fr/backoffice/")
    assert response.status_code == 403
    assert "eID" in response.content.decode()


def test_staff_login_at_level500_reaches_the_back_office(client, oidc):
    StaffFactory(nrn_hash=nrn.lookup_hash("75031366754"), unit=UnitFactory(code="SECM"))
    response = log_in_over_oidc(client, account="staffer", acr=LEVEL500, path="/fr/account/login/oidc/?level=staff")
    assert response["Location"].endswith("/backoffice/")
    assert client.get("/fr/backoffice/").status_code == 200


def test_staff_login_asked_at_level500_refuses_level450(client, oidc):
    url = start(client, "/fr/account/login/oidc/?level=staff")
    assert parse_qs(urlsplit(url).query)["acr_values"] == [LEVEL500]
    callback(client, authorize(url, "staffer", LEVEL450))
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="acr_too_low_staff").exists()


@pytest.mark.parametrize("account", ["nonrn", "badnrn"])
def test_missing_or_invalid_national_number_is_refused(client, oidc, account):
    log_in_over_oidc(client, account=account)
    assert not logged_in(client)
    assert not User.objects.exists()
    assert AuditEvent.objects.filter(action="login.failed", details__reason="nrn_missing").exists()


def test_issuer_differing_by_one_character_is_refused(client, oidc, settings):
    """R3: the discovery document's issuer must be exactly the configured one."""
    settings.OIDC_ISSUER = oidc.issuer + "/"
    response = client.get("/fr/account/login/oidc/")
    assert response.status_code == 503
    assert AuditEvent.objects.filter(action="login.failed", details__reason="invalid_response").exists()


def test_provider_down_shows_a_message(client, oidc, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    response = client.get("/fr/account/login/oidc/")
    assert response.status_code == 503
    assert shown("provider_down") in response.content.decode()
    assert not logged_in(client)


def test_provider_down_during_callback(client, oidc, settings):
    url = authorize(start(client), "citizen", LEVEL450)
    from django.core.cache import cache

    cache.clear()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    callback(client, url)
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="provider_down").exists()


def test_cancelled_login(client, oidc):
    from urllib.parse import urljoin

    import requests

    browser = requests.Session()
    page = browser.get(start(client), timeout=10)
    response = browser.post(page.url + "/abort", allow_redirects=False)
    while not response.headers["Location"].startswith("http://testserver/"):
        response = browser.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False)
    callback(client, response.headers["Location"])
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="denied").exists()


def test_client_secret_json_userinfo_and_request_object(client, oidc, settings):
    """The other client authentication (client_secret_basic) with JSON userinfo, then a signed request object."""
    settings.OIDC_CLIENT_ID = "secm-test-secret"
    settings.OIDC_CLIENT_AUTH_METHOD = "client_secret_basic"
    settings.OIDC_CLIENT_SECRET = SECRET
    log_in_over_oidc(client)
    assert logged_in(client)
    client.post("/fr/account/logout/")

    settings.OIDC_CLIENT_ID = "secm-test-pkjwt"
    settings.OIDC_CLIENT_AUTH_METHOD = "private_key_jwt"
    settings.OIDC_REQUEST_OBJECT = True
    url = start(client)
    query = parse_qs(urlsplit(url).query)
    assert "request" in query and "nonce" not in query
    callback(client, authorize(url, "citizen", LEVEL450))
    assert logged_in(client)


def test_missing_client_credentials_refuse_the_login(client, oidc, settings):
    settings.OIDC_CLIENT_PRIVATE_KEY = ""
    settings.OIDC_DEV_PROVIDER = False
    log_in_over_oidc(client)
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login.failed", details__reason="provider_down").exists()


def test_wrong_client_secret_is_refused(client, oidc, settings):
    settings.OIDC_CLIENT_ID = "secm-test-secret"
    settings.OIDC_CLIENT_AUTH_METHOD = "client_secret_basic"
    settings.OIDC_CLIENT_SECRET = "wrong"
    log_in_over_oidc(client)
    assert not logged_in(client)
    event = AuditEvent.objects.get(action="login.failed")
    assert "wrong" not in str(event.details)


def test_logout_ends_the_session_and_goes_to_the_provider(client, oidc):
    """R11: the server-side session is gone; the browser goes to the provider's end-session endpoint."""
    log_in_over_oidc(client)
    old_key = client.session.session_key
    response = client.post("/fr/account/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(oidc.issuer)
    assert parse_qs(urlsplit(response["Location"]).query)["client_id"] == ["secm-test-pkjwt"]
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(old_key)
    assert client.get("/fr/account/profile/").status_code == 302
    assert AuditEvent.objects.filter(action="logout").exists()


def test_logout_at_the_provider_comes_back(client, oidc):
    """RP-initiated logout, played at the provider: its confirmation form sends the browser back to the portal."""
    import re

    import requests

    browser = requests.Session()
    callback(client, authorize(start(client), "citizen", LEVEL450, browser=browser))
    page = browser.get(client.post("/fr/account/logout/")["Location"], timeout=10)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    response = browser.post(
        f"{oidc.issuer}{action}" if action.startswith("/") else action, data=fields, allow_redirects=False
    )
    assert response.headers["Location"] == "http://testserver/"


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_REFERER": "https://evil.example/page"}],
    ids=["sec-fetch-site", "referer"],
)
def test_navigations_from_another_site_do_not_cancel_a_login_in_progress(client, oidc, headers):
    """Three top-level navigations to the login URL from another site (links or redirects) used to push the
    person's pending login out of the session: their return from the provider was refused."""
    authorization_url = start(client)
    for _ in range(3):
        response = client.get("/fr/account/login/oidc/?next=/fr/case-files/", **headers)
        assert response.status_code == 302
        assert response["Location"] == "/fr/account/login/?next=%2Ffr%2Fcase-files%2F"  # the person chooses
    response = callback(client, authorize(authorization_url, "citizen", LEVEL450))
    assert response.status_code == 302 and response["Location"] == "/nl/"
    assert logged_in(client)


def test_a_navigation_from_this_site_starts_a_login(client, oidc):
    response = client.get("/fr/account/login/oidc/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"].startswith(oidc.issuer)
