""" "My data": a person downloads everything the portal holds about them, and nothing about anybody else."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import assert_accessible, log_in, set_rates
from eservices.access import services as access_services
from eservices.access.services import record_consultation
from eservices.audit.models import AuditEvent
from eservices.demo.files import make_pdf
from eservices.deposits.tests.factories import make_deposit
from eservices.identity import services as identity_services
from eservices.identity.crypto import encrypt_nrn
from eservices.identity.models import Capacity, OidcAccount
from eservices.identity.tests.factories import UserFactory
from eservices.mailbox import services as mailbox_services
from eservices.mailbox.tests.factories import case_with_parties, send
from eservices.notifications.models import OutboxEmail
from eservices.portal import personal_data

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


def outbox_mail(to, subject):
    return OutboxEmail.objects.create(
        template="t", to=to, language="fr", subject=subject, body_text="Bonjour", next_attempt_at=timezone.now()
    )


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


def test_the_export_holds_mails_refused_uploads_party_records_files_and_events_about_the_person(client, two_people):
    """What a first review found missing: the outbox, refused uploads, what others did to the person, their party
    records and supporting documents."""

    person, lawyer = two_people["person"], two_people["lawyer"]
    person.email, person.email_confirmed_at = "person@example.org", timezone.now()
    person.save(update_fields=["email", "email_confirmed_at"])
    OutboxEmail.objects.update(created_at=timezone.now() - timezone.timedelta(days=1))  # before confirming
    outbox_mail("Person@Example.org", "Nouveau message")
    outbox_mail("lawyer@example.org", "Pour l'avocat")
    mandate = SimpleUploadedFile("mandat.pdf", make_pdf("Mandat"), content_type="application/pdf")
    access_services.submit_request(
        actor=person, reference="REF-2", capacity=Capacity.CONCERNED_PERSON, acting_for="", files=[mandate]
    )
    with pytest.raises(ValidationError):
        access_services.submit_request(
            actor=person,
            reference="REF-3",
            capacity=Capacity.CONCERNED_PERSON,
            acting_for="",
            files=[SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")],
        )
    admin = UserFactory(is_staff=True, is_superuser=True)
    identity_services.end_sessions(actor=admin, user=person)
    case_file = two_people["person_deposit"].case_file
    staff = case_file.unit.memberships.first().user
    record_consultation(actor=staff, case_file=case_file, capacity="staff", unit_code=case_file.unit.code)
    record_consultation(actor=lawyer, case_file=case_file, capacity=Capacity.LAWYER)
    log_in(client, person)
    raw, data = download(client)

    assert [row["subject"] for row in data["emails"]] == ["Nouveau message"]
    assert [row["name"] for row in data["refused_uploads"]] == ["virus.pdf"]
    assert len(data["refused_uploads"][0]["sha256"]) == 64
    assert [row["case_file"] for row in data["party_records"]] == [case_file.reference]
    supporting = [row["supporting_documents"] for row in data["access_requests"] if row["reference"] == "REF-2"]
    assert [document["name"] for document in supporting[0]] == ["mandat.pdf"]
    assert "mandat.pdf" in {row["name"] for row in data["uploaded_files"]}
    about = {(row["action"], row["by"]) for row in data["events_about_you"]}
    assert about == {("identity.sessions_ended", "staff"), ("casefile.consulted", "staff")}  # not the lawyer's
    text = raw.decode()
    for foreign in ("Pour l'avocat", str(lawyer), str(admin), str(staff)):
        assert foreign not in text


def test_mails_to_an_unconfirmed_address_are_not_exported(client, two_people):
    """The outbox keeps addresses, not accounts: typing someone's address must not reveal their mails."""

    outbox_mail("victim@example.org", "Pour la victime")
    person = two_people["person"]
    person.email, person.email_confirmed_at = "victim@example.org", None
    person.save(update_fields=["email", "email_confirmed_at"])
    log_in(client, person)
    _raw, data = download(client)
    assert data["emails"] == []


def test_the_export_is_rate_limited(client, two_people, settings):

    set_rates(settings, "my_data_export", user_or_ip="2/h")
    log_in(client, two_people["person"])
    assert [client.post(EXPORT).status_code for _ in range(3)] == [200, 200, 429]
    assert AuditEvent.objects.filter(action="personal_data.exported").count() == 2


def test_the_export_is_streamed_row_by_row(two_people):
    """One piece per row (and per section's edges): the export is never one string in memory."""

    person = two_people["person"]
    pieces = list(personal_data.stream(person))
    rows = sum(personal_data.counts(person).values())
    assert len(pieces) == 1 + 2 * len(personal_data.SECTIONS) + rows + 1
    assert json.loads("".join(pieces))["format_version"] == personal_data.FORMAT_VERSION


@pytest.mark.django_db
def test_my_data_reads_as_a_page_with_only_the_persons_own_data(client, two_people):
    """Issue 12: the same data, readable as a page (the JSON download stays); viewing it is recorded."""
    person = two_people["person"]
    log_in(client, person)
    assert "/fr/my-data/page/" in client.get(URL).content.decode()
    response = client.get("/en/my-data/page/")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Messages of your mailbox" in html and "Pour la personne" in html
    assert "Pour l'avocat" not in html and "lawyer-sub" not in html and "person-sub" in html
    assert "85073003328" not in html  # masked, as in the download
    assert AuditEvent.objects.filter(action="personal_data.viewed", actor=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_my_data_page_is_accessible(browser_page, two_people):
    browser_page.log_in(two_people["person"])
    browser_page.goto("/fr/my-data/page/")
    assert_accessible(browser_page)
    browser_page.set_viewport_size({"width": 360, "height": 740})
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(browser_page)
