"""R9-R13: session lifetime (time travel on the middleware's clock), ending sessions, disabled accounts."""

import time

import pytest
from django.contrib.auth import SESSION_KEY

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.identity import services
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PROFILE = "/fr/account/profile/"


@pytest.fixture
def clock(monkeypatch):
    """Moves the session checks' clock forward (the middleware and the session markers use time.time)."""
    now = [time.time()]
    monkeypatch.setattr("eservices.identity.middleware.time.time", lambda: now[0])
    return now


def test_log_in_helper_sets_the_login_markers(client):
    staff = StaffFactory()
    log_in(client, staff)
    assert client.session["acr"] == "urn:be:fedict:iam:fas:Level500"
    assert client.session["auth_method"] == "oidc"
    assert client.get("/fr/backoffice/").status_code == 200


def test_idle_timeout_forces_a_new_login(client, clock, settings):
    log_in(client, UserFactory())
    clock[0] += settings.SESSION_IDLE_SECONDS - 60
    assert client.get(PROFILE).status_code == 200  # activity keeps the session alive
    clock[0] += settings.SESSION_IDLE_SECONDS - 60
    assert client.get(PROFILE).status_code == 200
    clock[0] += settings.SESSION_IDLE_SECONDS + 1
    response = client.get(PROFILE)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="session.ended", details__reason="idle").exists()


def test_absolute_lifetime_forces_a_new_login_even_when_active(client, clock, settings):
    log_in(client, UserFactory())
    step = settings.SESSION_IDLE_SECONDS - 60
    for _ in range(settings.SESSION_ABSOLUTE_SECONDS // step):
        clock[0] += step
        client.get(PROFILE)
    clock[0] += step
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="session.ended", details__reason="absolute").exists()


def test_a_session_without_login_markers_is_not_trusted(client):
    client.force_login(UserFactory())  # no markers: not opened by a login
    assert client.get(PROFILE).status_code == 302


def test_ending_a_users_sessions(client):
    """R12: an administrator ends one user's sessions; their next request is anonymous."""
    user = UserFactory()
    log_in(client, user)
    services.end_sessions(actor=StaffFactory(unit__role=StaffRole.ADMINISTRATOR), user=user)
    assert client.get(PROFILE).status_code == 302
    assert AuditEvent.objects.filter(action="identity.sessions_ended").exists()
    log_in(client, user)  # a new login works again
    assert client.get(PROFILE).status_code == 200


def test_disabling_an_account_ends_its_sessions(client):
    user = UserFactory()
    log_in(client, user)
    services.set_active(actor=StaffFactory(unit__role=StaffRole.ADMINISTRATOR), user=user, active=False)
    assert client.get(PROFILE).status_code == 302
    assert AuditEvent.objects.filter(action="identity.disabled").exists()


def test_authenticated_pages_are_not_cached(client):
    log_in(client, UserFactory())
    assert "no-store" in client.get(PROFILE)["Cache-Control"]


def test_logout_needs_post(client):
    log_in(client, UserFactory())
    assert client.get("/fr/account/logout/").status_code == 405


@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.REGISTRY_CLERK, StaffRole.UNIT_LEAD, None])
def test_only_functional_administrators_change_accounts_and_memberships(role):
    """The services check the actor themselves (issue 11): an agent, a clerk, a unit lead or a citizen is refused
    by each of them and nothing is written."""
    from django.core.exceptions import PermissionDenied

    from eservices.audit.models import AuditEvent
    from eservices.units.models import StaffMembership
    from eservices.units.tests.factories import UnitFactory

    actor = StaffFactory(unit__role=role) if role else UserFactory()
    user, membership = UserFactory(), StaffFactory().memberships.get()
    calls = [
        lambda: services.end_sessions(actor=actor, user=user),
        lambda: services.set_active(actor=actor, user=user, active=False),
        lambda: services.add_membership(actor=actor, user=user, unit=UnitFactory(), role=StaffRole.ADMINISTRATOR),
        lambda: services.change_role(actor=actor, membership=membership, role=StaffRole.ADMINISTRATOR),
        lambda: services.remove_membership(actor=actor, membership=membership),
    ]
    before = (AuditEvent.objects.count(), list(StaffMembership.objects.values_list("pk", "role")))
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    user.refresh_from_db()
    assert user.is_active and user.sessions_valid_after is None
    assert (AuditEvent.objects.count(), list(StaffMembership.objects.values_list("pk", "role"))) == before
