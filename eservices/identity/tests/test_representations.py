"""Representations: requested with a supporting document and decided by staff, asserted by a mandate source,
ended; the helpers other apps use (companies_represented_by, can_act_for)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.demo.files import make_pdf
from eservices.identity import queries, services
from eservices.identity.models import Company, Representation, validate_company_number
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import StoredFile
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
VALID = "0412345614"
NRN = "86062446086"


def decider(role=StaffRole.UNIT_LEAD):
    return StaffFactory(unit__role=role)


def pdf(name="statuts.pdf", content=None):
    content = make_pdf("Statuts de Medilab SRL", ["Article 1"]) if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("number", ["0412345614", "0412.345.614", "BE 0412 345 614", "1000000021"])
def test_valid_company_numbers(number):
    validate_company_number(number)


@pytest.mark.parametrize("number", ["0412345678", "041234561", "2412345614", "", "abcdefghij"])
def test_invalid_company_numbers(number):
    with pytest.raises(ValidationError):
        validate_company_number(number)


def test_request_confirm_and_end(client):
    person, staff = UserFactory(), decider()
    log_in(client, person)
    response = client.post(
        "/fr/account/representations/new/",
        {"company_number": "0412.345.614", "company_name": "Medilab SRL", "document": pdf()},
    )
    assert response.status_code == 302
    representation = Representation.objects.get(user=person)
    assert representation.status == "requested"
    assert representation.document.storage_key.startswith("intake/")
    assert "statuts" not in representation.document.storage_key
    company = Company.objects.get(company_number=VALID)
    assert not queries.can_act_for(person, company)
    # The profile says it waits for staff, and does not call it "confirmed by staff" yet.
    row = client.get("/en/account/profile/").content.decode().split("Medilab SRL")[1].split("</tr>")[0]
    assert "Waiting for the SECM to check the document" in row and "Confirmed" not in row

    log_in(client, staff)
    assert representation.company.name in client.get("/fr/backoffice/representations/").content.decode()
    document = client.get(f"/fr/backoffice/representations/{representation.pk}/document/")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF-")
    client.post(f"/fr/backoffice/representations/{representation.pk}/decide/", {"decision": "confirm"})
    representation.refresh_from_db()
    assert representation.status == "confirmed" and representation.decided_by == staff
    assert queries.can_act_for(person, company)
    assert list(queries.companies_represented_by(person)) == [company]

    log_in(client, person)
    client.post(f"/fr/account/representations/{representation.pk}/end/")
    representation.refresh_from_db()
    assert representation.status == "ended"
    assert not queries.can_act_for(person, company)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"representation.requested", "representation.confirmed", "representation.ended"} <= actions


def test_refused_request_gives_nothing(client):
    person = UserFactory()
    representation = services.request_representation(
        actor=person, company_number=VALID, company_name="Medilab", document=pdf()
    )
    services.decide_representation(actor=decider(), representation=representation, confirm=False)
    assert not queries.companies_represented_by(person).exists()
    with pytest.raises(ValidationError):
        services.decide_representation(actor=decider(), representation=representation, confirm=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"company_number": "0412345678", "company_name": "X", "document": pdf()}, "BCE/KBO"),
        ({"company_number": VALID, "company_name": "X", "document": pdf("a.pdf", b"<html><body>x</body></html>")}, ""),
        ({"company_number": VALID, "company_name": "X", "document": pdf("a.exe")}, ""),
        ({"company_number": VALID, "company_name": "X", "document": pdf("a.pdf", b"%PDF-1.7\ntruncated")}, ""),
    ],
)
def test_bad_requests_are_refused_and_leave_nothing(client, fields, message):
    log_in(client, UserFactory())
    with __import__("django").utils.translation.override("en"):
        response = client.post("/en/account/representations/new/", fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert not Representation.objects.exists()
    assert not StoredFile.objects.exists()


def test_one_live_request_per_company():
    person = UserFactory()
    services.request_representation(actor=person, company_number=VALID, company_name="M", document=pdf())
    with pytest.raises(ValidationError):
        services.request_representation(actor=person, company_number=VALID, company_name="M", document=pdf())


def test_others_cannot_end_or_see_a_representation(client):
    representation = services.request_representation(
        actor=UserFactory(), company_number=VALID, company_name="M", document=pdf()
    )
    log_in(client, UserFactory())
    assert client.post(f"/fr/account/representations/{representation.pk}/end/").status_code == 404
    assert client.get(f"/fr/backoffice/representations/{representation.pk}/document/").status_code == 403


def test_mandate_source_asserts_and_withdraws(tmp_path, settings):
    source = tmp_path / "mandates.json"
    source.write_text(json.dumps([{"nrn": NRN, "company_number": VALID, "company_name": "Medilab SRL"}]))
    settings.MANDATE_SOURCE = "eservices.identity.mandates.JsonMandateSource"
    settings.MANDATE_SOURCE_FILE = str(source)
    person = UserFactory()
    services.sync_mandates(user=person, national_number=NRN)
    services.sync_mandates(user=person, national_number=NRN)  # idempotent
    representation = Representation.objects.get(user=person)
    assert (representation.status, representation.source) == ("confirmed", "mandate_source")
    source.write_text("[]")
    services.sync_mandates(user=person, national_number=NRN)
    representation.refresh_from_db()
    assert representation.status == "ended"
    assert not queries.companies_represented_by(person).exists()


def test_a_broken_mandate_source_changes_nothing(tmp_path, settings):
    source = tmp_path / "mandates.json"
    source.write_text("not json")
    settings.MANDATE_SOURCE = "eservices.identity.mandates.JsonMandateSource"
    settings.MANDATE_SOURCE_FILE = str(source)
    services.sync_mandates(user=UserFactory(), national_number=NRN)
    assert not Representation.objects.exists()


def test_companies_represented_by_anonymous_is_empty():
    from django.contrib.auth.models import AnonymousUser

    assert not queries.companies_represented_by(AnonymousUser()).exists()


def test_a_request_that_cannot_be_recorded_withdraws_its_document(monkeypatch):
    def fail(*args):
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "_record_request", fail)
    with pytest.raises(RuntimeError):
        services.request_representation(actor=UserFactory(), company_number=VALID, company_name="M", document=pdf())
    assert not StoredFile.objects.exists()


def test_an_unscanned_document_is_not_served(client, settings):
    """Without an antivirus verdict (and INTAKE_RELEASE_UNSCANNED off, as in production) staff cannot open it."""
    settings.INTAKE_RELEASE_UNSCANNED = False
    representation = services.request_representation(
        actor=UserFactory(), company_number=VALID, company_name="M", document=pdf()
    )
    log_in(client, decider())
    assert client.get(f"/fr/backoffice/representations/{representation.pk}/document/").status_code == 404
    assert "statuts.pdf" in client.get("/fr/backoffice/representations/").content.decode()


@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.REGISTRY_CLERK])
def test_only_unit_leads_and_administrators_decide(client, role):
    """An agent or clerk of any unit may not decide (the service refuses whoever calls it); nothing changes."""
    representation = services.request_representation(
        actor=UserFactory(), company_number=VALID, company_name="M", document=pdf()
    )
    agent = StaffFactory(unit__role=role)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.decide_representation(actor=agent, representation=representation, confirm=True)
    log_in(client, agent)
    assert (
        client.post(f"/fr/backoffice/representations/{representation.pk}/decide/", {"decision": "confirm"}).status_code
        == 403
    )
    assert client.get("/fr/backoffice/representations/").status_code == 403
    representation.refresh_from_db()
    assert representation.status == "requested" and AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", [StaffRole.UNIT_LEAD, StaffRole.ADMINISTRATOR])
def test_nobody_decides_their_own_representation(client, role):
    """Four eyes: a unit lead or administrator who asks to act for a company cannot confirm it themselves."""
    lead = decider(role)
    representation = services.request_representation(actor=lead, company_number=VALID, company_name="M", document=pdf())
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.decide_representation(actor=lead, representation=representation, confirm=True)
    log_in(client, lead)
    assert (
        client.post(f"/fr/backoffice/representations/{representation.pk}/decide/", {"decision": "confirm"}).status_code
        == 403
    )
    assert "statuts.pdf" not in client.get("/fr/backoffice/representations/").content.decode()
    representation.refresh_from_db()
    assert representation.status == "requested" and AuditEvent.objects.count() == before
    services.decide_representation(actor=decider(), representation=representation, confirm=True)
    representation.refresh_from_db()
    assert representation.status == "confirmed"


def test_another_person_cannot_end_a_representation_through_the_service():
    representation = services.request_representation(
        actor=UserFactory(), company_number=VALID, company_name="M", document=pdf()
    )
    with pytest.raises(PermissionDenied):
        services.end_representation(actor=UserFactory(), representation=representation)
    with pytest.raises(PermissionDenied):
        services.end_representation(actor=StaffFactory(), representation=representation)


@attempts()
def test_opening_the_supporting_document_is_audited_whenever_it_is_handed_over(client, attempt):
    """The same rule as every download (``core.downloads.delivers_document``): byte 0 or the whole file."""
    representation = services.request_representation(
        actor=UserFactory(), company_number=VALID, company_name="M", document=pdf()
    )
    log_in(client, decider())
    delivery.attempt(client, f"/fr/backoffice/representations/{representation.pk}/document/", attempt)
    recorded = AuditEvent.objects.filter(action="representation.document_downloaded")
    assert recorded.count() == int(attempt.recorded)
