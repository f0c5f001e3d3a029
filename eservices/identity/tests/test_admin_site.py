"""The Django admin needs the same strong authentication as the back office: its password form is no side door."""

import pytest

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.identity import sessions
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough password 42"


@pytest.fixture
def superuser(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_password_alone_does_not_open_the_admin(client, superuser):
    response = client.post("/fr/admin/login/", {"username": superuser.username, "password": PASSWORD})
    assert response.status_code == 302 and "/account/login/staff/" in response["Location"]
    assert client.get("/fr/admin/").status_code == 302


def test_weak_session_is_refused(client, superuser):
    client.force_login(superuser)
    session = client.session
    sessions.mark_login(session, acr="urn:be:fedict:iam:fas:Level450", method=sessions.OIDC)
    session.save()
    assert client.get("/fr/admin/", follow=True).status_code == 403


def test_strong_session_reaches_the_admin_and_ends_sessions(client, superuser):
    client.force_login(superuser)
    session = client.session
    sessions.mark_login(session, acr="urn:be:fedict:iam:fas:Level500", method=sessions.OIDC)
    session.save()
    assert client.get("/fr/admin/").status_code == 200
    victim = UserFactory()
    other = __import__("django.test", fromlist=["Client"]).Client()
    log_in(other, victim)
    client.post("/fr/admin/identity/user/", {"action": "end_sessions", "_selected_action": [victim.pk]})
    assert other.get("/fr/account/profile/").status_code == 302
    assert AuditEvent.objects.filter(action="identity.sessions_ended").exists()
