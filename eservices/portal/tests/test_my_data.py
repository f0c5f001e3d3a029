""" "My data": a person downloads everything the portal holds about them, and nothing about anybody else."""

import json

import pytest
from django.test import Client

from conftest import assert_accessible, log_in
from eservices.access import services as access_services
from eservices.audit.models import AuditEvent
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.crypto import encrypt_nrn
from eservices.identity.models import Capacity, OidcAccount
from eservices.identity.tests.factories import UserFactory
from eservices.mailbox import services as mailbox_services
from eservices.mailbox.tests.factories import case_with_parties, send

URL = "/fr/my-data/"
EXPORT = "/fr/my-data/export.json"


@pytest.fixture
def two_people(db):
    """A concerned person and their lawyer on one case file: each with a message, a deposit, a request, an account."""
    case_file, clerk, person, lawyer, _document = case_with_parties()
    person.nrn_encrypted = encrypt_nrn("85073003328")
    person.save(update_fields=["nrn_encrypted"])
    OidcAccount.objects.create(user=person, issuer="https://idp.example", subject="person-sub")
    OidcAccount.objects.create(user=lawyer, issuer="https://idp.example", subject="lawyer-sub")
    (to_person,) = send(clerk, case_file, [mailbox_services.mailbox_of_user(person)], subject="Pour la personne")
    (to_lawyer,) = send(clerk, case_file, [mailbox_services.mailbox_of_user(lawyer)], subject="Pour l'avocat")
    mailbox_services.open_message(actor=person, message=to_person)
    mailbox_services.open_message(actor=lawyer, message=to_lawyer)
    person_deposit = make_deposit(person, case_file)
    lawyer_deposit = make_deposit(lawyer, case_file, capacity=Capacity.LAWYER)
    access_services.submit_request(
        actor=person, reference="REF-PERSON-1", capacity=Capacity.CONCERNED_PERSON, acting_for=""
    )
    access_services.submit_request(actor=lawyer, reference="REF-LAWYER-1", capacity=Capacity.LAWYER, acting_for="X")
    return {
        "person": person,
        "lawyer": lawyer,
        "to_person": to_person,
        "to_lawyer": to_lawyer,
        "person_deposit": person_deposit,
        "lawyer_deposit": lawyer_deposit,
    }


def download(client):
    response = client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]
    raw = b"".join(response.streaming_content)
    return raw, json.loads(raw)


def test_the_export_holds_everything_about_the_person(client, two_people):
    person = two_people["person"]
    log_in(client, person)
    _raw, data = download(client)
    assert data["profile"]["username"] == person.username
    assert data["profile"]["national_number"] == "85.07.30-***.**"
    assert data["oidc_accounts"] == [
        {"issuer": "https://idp.example", "subject": "person-sub", "created_at": data["oidc_accounts"][0]["created_at"],
         "last_login_at": None}
    ]  # fmt: skip
    assert [row["reference"] for row in data["access_requests"]] == ["REF-PERSON-1"]
    assert [row["subject"] for row in data["messages"]] == ["Pour la personne"]
    assert data["messages"][0]["opened_at"] is not None
    assert [row["number"] for row in data["deposits"]] == [two_people["person_deposit"].number]
    assert len(data["deposits"][0]["files"]) == 2
    subjects = {(row["subject_type"], row["subject_id"]) for row in data["evidence_events"]}
    assert ("mailbox.message", str(two_people["to_person"].pk)) in subjects
    assert ("deposits.deposit", str(two_people["person_deposit"].pk)) in subjects
    actions = {row["action"] for row in data["audit_events"]}
    assert "access.requested" in actions
    lawyer = ("identity.user", str(two_people["lawyer"].pk))
    assert all((row["object_type"], row["object_id"]) != lawyer for row in data["audit_events"])


def test_another_persons_data_never_appears(client, two_people):
    log_in(client, two_people["person"])
    raw, data = download(client)
    text = raw.decode()
    lawyer = two_people["lawyer"]
    for foreign in (
        lawyer.username,
        "lawyer-sub",
        "Pour l'avocat",
        "REF-LAWYER-1",
        two_people["lawyer_deposit"].number,
        "85073003328",  # the person's own number, in clear: never
    ):
        assert foreign not in text
    assert {row["subject_id"] for row in data["evidence_events"]}.isdisjoint(
        {str(two_people["to_lawyer"].pk), str(two_people["lawyer_deposit"].pk)}
    )
    assert all(row["by_you"] or row["capacity"] == "" for row in data["evidence_events"])


def test_the_export_is_audited_with_its_counts(client, two_people):
    person = two_people["person"]
    log_in(client, person)
    _raw, data = download(client)
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == person and event.object_id == str(person.pk)
    assert event.details["counts"]["messages"] == 1 and event.details["counts"]["deposits"] == 1


def test_a_person_with_nothing_gets_an_empty_export(client, db):
    log_in(client, UserFactory())
    _raw, data = download(client)
    assert data["messages"] == [] and data["deposits"] == [] and data["access_requests"] == []


def test_the_page_links_to_a_post_only_export(client, db):
    log_in(client, UserFactory())
    page = client.get(URL)
    assert page.status_code == 200 and 'action="/fr/my-data/export.json"' in page.content.decode()
    assert client.get(EXPORT).status_code == 405
    assert 'href="/fr/my-data/"' in client.get("/fr/account/profile/").content.decode()


def test_anonymous_is_sent_to_log_in_and_csrf_is_needed(db):
    assert Client().post(EXPORT).status_code == 302
    client = Client(enforce_csrf_checks=True)
    log_in(client, UserFactory())
    assert client.post(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_page_is_accessible(browser_page, language):
    browser_page.log_in(UserFactory())
    response = browser_page.goto(f"/{language}/my-data/")
    assert response.ok
    assert_accessible(browser_page)
