"""The back office: prepare, preview, send; the message's evidence; the paper-fallback list; failed alerts (from a
real SMTP server that is down) as work items; the legal calendar. Refusals for other units and citizens."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.calendar import services as calendar_services
from eservices.calendar.models import ClosingDay, LegalHoliday
from eservices.demo.files import make_pdf
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for
from eservices.identity.tests.factories import CompanyFactory
from eservices.mailbox import services
from eservices.mailbox.models import Dispatch, Message
from eservices.notifications.models import OutboxEmail
from eservices.notifications.services import deliver
from eservices.notifications.tests.smtp import free_port, use_smtp
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .factories import case_with_parties, send

Event = EvidenceEvent.Event


@pytest.mark.django_db
def test_a_clerk_prepares_previews_and_sends_to_parties_and_a_partner_institution(client):
    case_file, clerk, person, lawyer, document = case_with_parties()
    institution = CompanyFactory(company_number="0203201340", name="Mutualité partenaire")
    log_in(client, clerk)
    response = client.get("/fr/backoffice/mailbox/send/", {"case_file": case_file.pk})
    assert response["Location"] == f"/fr/backoffice/mailbox/send/{case_file.pk}/"
    form = client.get(response["Location"]).content.decode()
    assert str(person) in form and str(lawyer) in form
    parties = {party.user_id: party.pk for party in case_file.parties.all()}
    response = client.post(
        f"/fr/backoffice/mailbox/send/{case_file.pk}/",
        {
            "addressees": [parties[person.pk], parties[lawyer.pk]],
            "company_number": "0203.201.340",
            "kind": "notification",
            "subject": "Décision du 2 mars",
            "text": "Voici la décision.",
            "documents": [document.pk],
            "new_file": SimpleUploadedFile("Annexe.pdf", make_pdf("Annexe"), content_type="application/pdf"),
            "time_limit_months": 1,
            "time_limit_days": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dispatch = Dispatch.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "Décision du 2 mars" in preview and "Annexe.pdf" in preview and "Mutualité partenaire" in preview
    assert Message.objects.count() == 0  # nothing sent before the preview is confirmed
    client.post(f"/fr/backoffice/mailbox/dispatches/{dispatch.pk}/send/")
    client.post(f"/fr/backoffice/mailbox/dispatches/{dispatch.pk}/send/")  # a double click
    assert Message.objects.count() == 3
    assert {message.mailbox for message in Message.objects.all()} == {
        services.mailbox_of_user(person),
        services.mailbox_of_user(lawyer),
        services.mailbox_of_company(institution),
    }
    assert all(message.documents.count() == 2 for message in Message.objects.all())
    message = Message.objects.get(mailbox__user=person)
    page = client.get(f"/fr/backoffice/mailbox/messages/{message.pk}/").content.decode()
    assert "Mis à disposition" in page  # the French screen, in French
    assert client.get("/fr/backoffice/mailbox/sent/").status_code == 200


@pytest.mark.django_db
def test_the_form_says_what_is_wrong(client):
    case_file, clerk, _person, _lawyer, _document = case_with_parties()
    log_in(client, clerk)
    response = client.post(
        f"/fr/backoffice/mailbox/send/{case_file.pk}/",
        {
            "kind": "communication",
            "subject": "x",
            "company_number": "0999999999",
            "time_limit_months": 1,
            "time_limit_days": 0,
        },
    )
    assert response.status_code == 200
    assert Dispatch.objects.count() == 0
    assert response.context["form"].errors


def _post_with_file(client, upload):
    """A clerk prepares a communication to the concerned person with a new file."""
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    parties = {party.user_id: party.pk for party in case_file.parties.all()}
    log_in(client, clerk)
    return client.post(
        f"/fr/backoffice/mailbox/send/{case_file.pk}/",
        {
            "addressees": [parties[person.pk]],
            "kind": "communication",
            "subject": "Annexe",
            "new_file": upload,
            "time_limit_months": 0,
            "time_limit_days": 0,
        },
    )


@pytest.mark.django_db
def test_a_file_the_intake_pipeline_refuses_is_said_and_nothing_is_prepared(client):
    from eservices.intake.models import IntakeRejection

    response = _post_with_file(
        client, SimpleUploadedFile("Annexe.pdf", b"MZ not a pdf", content_type="application/pdf")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_file"]
    assert Dispatch.objects.count() == 0
    assert IntakeRejection.objects.filter(display_name="Annexe.pdf").exists()  # the refusal stays recorded


@pytest.mark.django_db
def test_other_units_staff_and_citizens_are_refused(client):
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    dispatch = message.dispatch
    urls_404 = [
        f"/fr/backoffice/mailbox/send/{case_file.pk}/",
        f"/fr/backoffice/mailbox/dispatches/{dispatch.pk}/",
        f"/fr/backoffice/mailbox/messages/{message.pk}/",
    ]
    outsider = StaffFactory(unit=UnitFactory(code="CPI"))
    log_in(client, outsider)
    for url in urls_404:
        assert client.get(url).status_code == 404, url
    assert client.get("/fr/backoffice/mailbox/send/", {"case_file": case_file.pk}).status_code == 404
    assert client.post(f"/fr/backoffice/mailbox/dispatches/{dispatch.pk}/send/").status_code == 404
    assert (
        client.post(
            f"/fr/backoffice/mailbox/messages/{message.pk}/paper-letter/", {"sent_on": "2026-04-01"}
        ).status_code
        == 404
    )
    assert client.post(f"/fr/backoffice/mailbox/messages/{message.pk}/failed-alert-handled/").status_code == 404
    assert message.pk not in [row.pk for row in client.get("/fr/backoffice/mailbox/sent/").context["sent_messages"]]
    client.logout()
    log_in(client, person)
    for url in [*urls_404, "/fr/backoffice/mailbox/paper-fallback/", "/fr/backoffice/mailbox/holidays/"]:
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_the_paper_fallback_list_and_recording_the_letter(client):
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    services.run_jobs(message.made_available_at + datetime.timedelta(days=16))
    log_in(client, clerk)
    page = client.get("/fr/backoffice/mailbox/paper-fallback/").content.decode()
    assert message.subject in page
    bad = client.post(f"/fr/backoffice/mailbox/messages/{message.pk}/paper-letter/", {"sent_on": "nope"})
    assert bad.status_code == 302
    message.refresh_from_db()
    assert message.paper_letter_sent_on is None
    done = client.post(
        f"/fr/backoffice/mailbox/messages/{message.pk}/paper-letter/", {"sent_on": "2026-04-01"}, follow=True
    )
    # The flash message shows, not the list's messages in its place (a context variable named "messages" hid it).
    status = done.content.decode().split('class="messages" role="status"')[1].split("</div>")[0]
    assert "lettre papier a été enregistré." in status and message.subject not in status
    message.refresh_from_db()
    assert (message.paper_letter_sent_on, message.paper_letter_recorded_by) == (datetime.date(2026, 4, 1), clerk)
    assert AuditEvent.objects.filter(action="mailbox.paper_letter_sent", actor=clerk).exists()


@pytest.mark.django_db
def test_an_alert_that_finally_fails_becomes_a_work_item_and_nothing_is_lost(client, settings):
    """A real SMTP client against a closed port (the server is down) until the retries are spent."""
    settings.OUTBOX_MAX_ATTEMPTS = 2
    use_smtp(settings, free_port())
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    alert = OutboxEmail.objects.get()
    for _ in range(2):
        OutboxEmail.objects.filter(pk=alert.pk).update(next_attempt_at=alert.created_at)
        deliver(alert.pk)
    alert.refresh_from_db()
    assert alert.status == OutboxEmail.Status.FAILED
    assert [event.event for event in events_for(message)] == [Event.MADE_AVAILABLE, Event.ALERT_FAILED]
    assert Message.objects.get(pk=message.pk).opened_at is None  # the message is still there, waiting
    log_in(client, clerk)
    page = client.get("/fr/backoffice/mailbox/failed-alerts/").content.decode()
    assert message.subject in page
    client.post(f"/fr/backoffice/mailbox/messages/{message.pk}/failed-alert-handled/")
    assert message.subject not in client.get("/fr/backoffice/mailbox/failed-alerts/").content.decode()


@pytest.mark.django_db
def test_a_bounce_becomes_a_work_item(client):
    from eservices.notifications.services import record_bounce

    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    alert = OutboxEmail.objects.get()
    deliver(alert.pk)
    record_bounce(alert.pk, reason="550 no such user")
    assert [event.event for event in events_for(message)] == [
        Event.MADE_AVAILABLE,
        Event.ALERT_SENT,
        Event.ALERT_FAILED,
    ]
    log_in(client, clerk)
    assert message.subject in client.get("/fr/backoffice/mailbox/failed-alerts/").content.decode()


@pytest.mark.django_db
def test_the_functional_administrator_keeps_the_legal_calendar(client):
    administrator = StaffFactory(unit=UnitFactory(code="SECM"), unit__role=StaffRole.ADMINISTRATOR)
    log_in(client, administrator)
    holiday = {"what": "holiday", "holiday-date": "2026-10-09", "holiday-name": "Fête", "holiday-legal_source": ""}
    assert client.post("/fr/backoffice/mailbox/holidays/", holiday).status_code == 200  # no source: refused
    assert not LegalHoliday.objects.exists()
    client.post("/fr/backoffice/mailbox/holidays/", {**holiday, "holiday-legal_source": "Loi du 1er janvier 2026"})
    added = LegalHoliday.objects.get()
    assert (added.date, added.legal_source) == (datetime.date(2026, 10, 9), "Loi du 1er janvier 2026")
    closing = {"what": "closing", "closing-date": "2026-05-15", "closing-name": "Pont"}
    client.post("/fr/backoffice/mailbox/holidays/", closing)
    day = ClosingDay.objects.get()
    client.post(f"/fr/backoffice/mailbox/holidays/{added.pk}/delete/")
    client.post(f"/fr/backoffice/mailbox/closing-days/{day.pk}/delete/")
    assert not LegalHoliday.objects.exists() and not ClosingDay.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="calendar.").count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.REGISTRY_CLERK, StaffRole.UNIT_LEAD])
def test_other_staff_read_the_legal_calendar_but_cannot_change_it(client, role):
    holiday = LegalHoliday.objects.create(date=datetime.date(2026, 10, 9), name="Fête", legal_source="Loi")
    day = ClosingDay.objects.create(date=datetime.date(2026, 5, 15), name="Pont")
    log_in(client, StaffFactory(unit=UnitFactory(code="SECM"), unit__role=role))
    page = client.get("/fr/backoffice/mailbox/holidays/").content.decode()
    assert "Fête" in page and "Pont" in page
    audit = AuditEvent.objects.count()
    for url, data in [
        (
            "/fr/backoffice/mailbox/holidays/",
            {"what": "holiday", "holiday-date": "2026-10-12", "holiday-name": "X", "holiday-legal_source": "Y"},
        ),
        ("/fr/backoffice/mailbox/holidays/", {"what": "closing", "closing-date": "2026-10-12", "closing-name": "X"}),
        (f"/fr/backoffice/mailbox/holidays/{holiday.pk}/delete/", {}),
        (f"/fr/backoffice/mailbox/closing-days/{day.pk}/delete/", {}),
    ]:
        assert client.post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):  # the service refuses whoever calls it (a view, the admin, a command)
        calendar_services.delete_legal_holiday(actor=StaffFactory(unit__role=role), holiday=holiday)
    assert list(LegalHoliday.objects.all()) == [holiday] and list(ClosingDay.objects.all()) == [day]
    assert AuditEvent.objects.count() == audit


@pytest.mark.django_db
def test_the_dashboard_shows_the_units_work_items(client):
    case_file, clerk, _person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_company(CompanyFactory())])  # nobody to alert
    services.run_jobs(message.made_available_at + datetime.timedelta(days=16))
    log_in(client, clerk)
    response = client.get("/fr/backoffice/")
    assert (response.context["failed_alerts"], response.context["paper_letters_due"]) == (1, 1)
    outsider = StaffFactory(unit=UnitFactory(code="CR"))
    client.logout()
    log_in(client, outsider)
    response = client.get("/fr/backoffice/")
    assert (response.context["failed_alerts"], response.context["paper_letters_due"]) == (0, 0)


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_cut_and_refused_with_its_reason(client, settings):
    settings.INTAKE_MAX_FILE_BYTES = 2000
    settings.INTAKE_MAX_SUBMISSION_BYTES = 2000
    big = SimpleUploadedFile("Gros.pdf", make_pdf("Gros", ["x" * 80] * 200), content_type="application/pdf")
    response = _post_with_file(client, big)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Dispatch.objects.count() == 0
