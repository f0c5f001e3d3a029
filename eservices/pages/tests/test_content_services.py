"""Notices and contact details: only functional administrators change them, every change is audited, and a
refused or invalid change leaves no row and no audit event."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.identity.tests.factories import UserFactory
from eservices.pages import services
from eservices.pages.models import ContactDetails, Notice
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

TEXTS = {"fr": "Maintenance dimanche de 8 h à 10 h.", "nl": "Onderhoud zondag van 8 tot 10 uur."}
NON_ADMINISTRATORS = [StaffRole.AGENT, StaffRole.REGISTRY_CLERK, StaffRole.UNIT_LEAD, "citizen"]


@pytest.fixture
def unit(db):
    return UnitFactory(code="SECM", email="secm@example.org")


@pytest.fixture
def administrator(unit):
    return StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)


def someone(role, unit):
    return UserFactory() if role == "citizen" else StaffFactory(unit=unit, unit__role=role)


def publish(actor, **fields):
    return services.publish_notice(actor=actor, kind=Notice.Kind.MAINTENANCE, texts=TEXTS, **fields)


def test_an_administrator_publishes_a_notice_and_it_is_audited(administrator):
    notice = publish(administrator)
    event = AuditEvent.objects.get(action="notice.published")
    assert event.actor == administrator
    assert event.object_id == str(notice.pk)
    assert event.details["text_fr"] == TEXTS["fr"]
    assert list(Notice.objects.current()) == [notice]


@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_nobody_else_publishes_a_notice(unit, role):
    with pytest.raises(PermissionDenied):
        publish(someone(role, unit))
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_notice_ending_before_it_starts_is_refused_and_nothing_is_written(administrator):
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        publish(administrator, starts_at=start, ends_at=start - datetime.timedelta(hours=1))
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_notice_needs_its_french_and_dutch_texts(administrator):
    with pytest.raises(ValidationError):
        services.publish_notice(actor=administrator, kind=Notice.Kind.OUTAGE, texts={"fr": "Panne"})
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_only_an_administrator_withdraws_a_notice(administrator, unit, role):
    notice = publish(administrator)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.withdraw_notice(actor=someone(role, unit), notice=notice)
    notice.refresh_from_db()
    assert notice.withdrawn_at is None
    assert AuditEvent.objects.count() == before
    services.withdraw_notice(actor=administrator, notice=notice)
    assert AuditEvent.objects.filter(action="notice.withdrawn", object_id=str(notice.pk)).count() == 1
    assert list(Notice.objects.current()) == []


def test_only_the_notices_in_force_are_current(administrator):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    shown = publish(administrator, starts_at=now - hour, ends_at=now + hour)
    publish(administrator, starts_at=now + hour)  # not yet
    publish(administrator, starts_at=now - 2 * hour, ends_at=now - hour)  # over
    services.withdraw_notice(actor=administrator, notice=publish(administrator))  # withdrawn
    assert list(Notice.objects.current()) == [shown]


def test_the_home_page_shows_the_notice_in_the_readers_language(administrator, client):
    publish(administrator)
    assert TEXTS["nl"] in client.get("/nl/").content.decode()
    assert TEXTS["fr"] in client.get("/fr/").content.decode()
    # German left blank: the French text is shown.
    assert TEXTS["fr"] in client.get("/de/").content.decode()


def test_an_administrator_updates_a_units_contact_and_each_change_is_audited(administrator, unit):
    services.update_contact(
        actor=administrator,
        unit=unit,
        data={"email": "greffe@example.org", "phone": "02 739 71 11", "hours_nl": "Werkdagen van 9 tot 12 uur"},
    )
    unit.refresh_from_db()
    assert unit.email == "greffe@example.org"
    assert unit.contact.phone == "02 739 71 11"
    event = AuditEvent.objects.get(action="contact.updated")
    assert event.details["changes"]["email"] == {"from": "secm@example.org", "to": "greffe@example.org"}
    assert set(event.details["changes"]) == {"email", "phone", "hours_nl"}
    # Saving the same details again changes nothing and records nothing.
    services.update_contact(actor=administrator, unit=unit, data={"phone": "02 739 71 11"})
    assert AuditEvent.objects.filter(action="contact.updated").count() == 1


@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_nobody_else_updates_a_contact(unit, role):
    with pytest.raises(PermissionDenied):
        services.update_contact(actor=someone(role, unit), unit=unit, data={"email": "evil@example.org"})
    unit.refresh_from_db()
    assert unit.email == "secm@example.org"
    assert ContactDetails.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_invalid_address_is_refused_and_nothing_changes(administrator, unit):
    with pytest.raises(ValidationError):
        services.update_contact(actor=administrator, unit=unit, data={"email": "not an address"})
    unit.refresh_from_db()
    assert unit.email == "secm@example.org"
    assert AuditEvent.objects.count() == 0


def test_the_contact_page_shows_each_unit_in_the_readers_language(administrator, unit, client):
    services.update_contact(
        actor=administrator, unit=unit, data={"hours_fr": "Jours ouvrables, 9 h - 12 h", "hours_nl": "Werkdagen 9-12"}
    )
    french = client.get("/fr/contact/").content.decode()
    assert "secm@example.org" in french and "Jours ouvrables, 9 h - 12 h" in french
    assert "SECM/" in french  # references of its case files start with its code
    assert "Werkdagen 9-12" in client.get("/nl/contact/").content.decode()
    # Documents are deposited, never e-mailed.
    assert "N'envoyez jamais de documents par e-mail" in french


# ------------------------------------------------------------------------------------------ back-office forms


def staff_client(user):
    client = Client()
    log_in(client, user)
    return client


def test_an_administrator_publishes_through_the_back_office(administrator):
    response = staff_client(administrator).post(
        "/fr/backoffice/notices/", {"kind": "outage", "text_fr": "Panne en cours.", "text_nl": "Storing bezig."}
    )
    assert response.status_code == 302
    assert Notice.objects.get().text_nl == "Storing bezig."
    assert AuditEvent.objects.filter(action="notice.published").count() == 1


def test_the_form_says_what_is_wrong_and_publishes_nothing(administrator):
    response = staff_client(administrator).post("/fr/backoffice/notices/", {"kind": "outage", "text_fr": "Panne"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Notice.objects.count() == 0


@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.REGISTRY_CLERK, StaffRole.UNIT_LEAD])
def test_other_staff_are_refused_the_back_office_forms(unit, role):
    client = staff_client(someone(role, unit))
    notice_response = client.post("/fr/backoffice/notices/", {"kind": "outage", "text_fr": "x", "text_nl": "y"})
    contact_response = client.post(f"/fr/backoffice/contacts/{unit.pk}/", {"email": "evil@example.org"})
    assert (notice_response.status_code, contact_response.status_code) == (403, 403)
    unit.refresh_from_db()
    assert (Notice.objects.count(), unit.email, AuditEvent.objects.count()) == (0, "secm@example.org", 0)


def test_an_administrator_edits_a_contact_through_the_back_office(administrator, unit):
    response = staff_client(administrator).post(
        f"/fr/backoffice/contacts/{unit.pk}/", {"email": "dgec@example.org", "phone": "02 000 00 00"}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.email, unit.contact.phone) == ("dgec@example.org", "02 000 00 00")
