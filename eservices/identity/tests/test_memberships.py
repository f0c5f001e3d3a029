"""Functional administrators manage staff memberships in the back office; every change is audited."""

import pytest

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffMembership, StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = "/fr/backoffice/memberships/"


def test_administrator_adds_changes_and_removes(client):
    unit = UnitFactory(code="SECM")
    log_in(client, StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR))
    person = UserFactory()
    client.post(URL, {"username": person.username, "unit": unit.pk, "role": StaffRole.AGENT})
    membership = StaffMembership.objects.get(user=person)
    client.post(f"{URL}{membership.pk}/", {"action": "role", "role": StaffRole.UNIT_LEAD})
    membership.refresh_from_db()
    assert membership.role == StaffRole.UNIT_LEAD
    client.post(f"{URL}{membership.pk}/", {"action": "remove"})
    assert not StaffMembership.objects.filter(user=person).exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert [a for a in actions if a.startswith("staff.")] == [
        "staff.membership_added",
        "staff.role_changed",
        "staff.membership_removed",
    ]
    assert AuditEvent.objects.get(action="staff.role_changed").details == {"from": "agent", "to": "unit_lead"}


def test_administrator_disables_an_account(client):
    unit = UnitFactory(code="SECM")
    agent = StaffFactory(unit=unit)
    log_in(client, StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR))
    client.post(f"{URL}{agent.memberships.get().pk}/", {"action": "disable"})
    agent.refresh_from_db()
    assert not agent.is_active and agent.sessions_valid_after is not None


def test_other_staff_and_citizens_are_refused(client):
    log_in(client, StaffFactory(unit__role=StaffRole.AGENT))
    assert client.get(URL).status_code == 403
    log_in(client, UserFactory())
    assert client.get(URL).status_code == 403


def test_unknown_username_is_a_form_error(client):
    unit = UnitFactory(code="SECM")
    log_in(client, StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR))
    with __import__("django").utils.translation.override("en"):
        response = client.post("/en/backoffice/memberships/", {"username": "nobody", "unit": unit.pk, "role": "agent"})
    assert "Nobody has this username." in response.content.decode()
