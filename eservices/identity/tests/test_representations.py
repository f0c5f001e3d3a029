"""Representations: requested with a supporting document and decided by staff, asserted by a mandate source,
ended; the helpers other apps use (companies_represented_by, can_act_for)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.demo.files import make_pdf
from eservices.identity import queries, services
from eservices.identity.models import Company, Representation, validate_company_number
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import StoredFile
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
VALID = "0412345614"
NRN = "86062446086"


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
    person, staff = UserFactory(), StaffFactory()
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
    services.decide_representation(actor=StaffFactory(), representation=representation, confirm=False)
    assert not queries.companies_represented_by(person).exists()
    with pytest.raises(ValidationError):
        services.decide_representation(actor=StaffFactory(), representation=representation, confirm=True)


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
    log_in(client, StaffFactory())
    assert client.get(f"/fr/backoffice/representations/{representation.pk}/document/").status_code == 404
    assert "statuts.pdf" in client.get("/fr/backoffice/representations/").content.decode()
