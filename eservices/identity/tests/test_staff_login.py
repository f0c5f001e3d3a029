"""R39 and the break-glass administrators: a password, then a TOTP code accepted once; lockout; audit."""

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import log_in, set_rates
from eservices.audit.models import AuditEvent
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """A fast password hasher: the tests are about the flow, not about PBKDF2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin():
    user = StaffFactory(unit__role=StaffRole.ADMINISTRATOR)
    user.set_password(PASSWORD)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_step(client, username, password=PASSWORD):
    return client.post("/fr/account/login/staff/", {"username": username, "password": password})


def test_password_then_code_opens_the_back_office(client, admin):
    user, device = admin
    response = password_step(client, user.username)
    assert response.status_code == 302 and response["Location"].endswith("/login/staff/code/")
    assert SESSION_KEY not in client.session  # not logged in after the password alone
    response = client.post("/fr/account/login/staff/code/", {"code": code(device)})
    assert response.status_code == 302
    assert client.get("/fr/backoffice/").status_code == 200
    assert AuditEvent.objects.filter(action="otp.verified", actor=user).exists()
    assert AuditEvent.objects.filter(action="login.succeeded", details__method="local_otp").exists()


def test_a_code_is_accepted_only_once(client, admin):
    user, device = admin
    password_step(client, user.username)
    used = code(device)
    client.post("/fr/account/login/staff/code/", {"code": used})
    client.post("/fr/account/logout/")
    password_step(client, user.username)
    response = client.post("/fr/account/login/staff/code/", {"code": used})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="login.failed", details__reason="otp_failed").exists()
    assert AuditEvent.objects.filter(action="otp.failed").exists()


def test_wrong_password_and_lockout(client, admin, settings):
    user, device = admin
    for _ in range(settings.STAFF_LOCKOUT_FAILURES):
        assert password_step(client, user.username, "wrong password").status_code == 200
    assert AuditEvent.objects.filter(action="login.locked_out").exists()
    response = password_step(client, user.username)  # even the right password, now
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="login.failed", details__reason="locked_out").exists()


def test_password_without_second_factor_is_refused(client):
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    assert password_step(client, user.username).status_code == 200
    assert client.get("/fr/account/login/staff/code/").status_code == 302


def test_staff_without_strong_authentication_is_refused(client):
    """A staff member's session at the citizen level (itsme) gets 403 in the back office."""
    staff = StaffFactory()
    client.force_login(staff)
    from eservices.identity import sessions

    session = client.session
    sessions.mark_login(session, acr="urn:be:fedict:iam:fas:Level450", method=sessions.OIDC)
    session.save()
    assert client.get("/fr/backoffice/").status_code == 403


def test_login_attempts_are_rate_limited(client, admin, settings):
    set_rates(settings, "login", ip="3/m")
    user, _device = admin
    statuses = [password_step(client, user.username, "nope").status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert AuditEvent.objects.filter(action="login.failed", details__reason="rate_limited").exists()


def test_citizen_session_on_the_back_office_is_403(client):
    log_in(client, UserFactory())
    assert client.get("/fr/backoffice/").status_code == 403
    assert client.get("/fr/backoffice/memberships/").status_code == 403
