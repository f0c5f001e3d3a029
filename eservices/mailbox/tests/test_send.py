"""Sending: each addressee's mailbox gets its message, atomically and once; evidence and alerts follow."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eservices.calendar import days
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for
from eservices.mailbox import services
from eservices.mailbox.models import DeliveryRule, Message, MessageKind, TimeLimitStart
from eservices.notifications.models import OutboxEmail
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .factories import case_with_parties, company_with_representative, prepare, send

Event = EvidenceEvent.Event


def events(message):
    return [event.event for event in events_for(message)]


@pytest.mark.django_db(transaction=True)
def test_each_addressee_gets_the_message_with_evidence_and_an_alert():
    case_file, clerk, person, lawyer, document = case_with_parties()
    company, representative = company_with_representative()
    boxes = [services.mailbox_of_user(person), services.mailbox_of_user(lawyer), services.mailbox_of_company(company)]
    before = timezone.now()
    messages = send(clerk, case_file, boxes, documents=[document], time_limit_months=1)
    assert [message.mailbox for message in messages] == boxes
    for message in messages:
        message.refresh_from_db()
        assert list(message.documents.all()) == [document]
        assert events(message) == [Event.MADE_AVAILABLE, Event.ALERT_SENT]
        made_available = events_for(message).first()
        assert made_available.occurred_at == message.made_available_at >= before
        assert made_available.actor == clerk
        assert made_available.details["documents"] == [{"title": "Décision", "sha256": document.sha256}]
        assert len(made_available.details["digest"]) == 64
        # the third working day by default, at the same Belgian time; the time limit starts then or on opening
        made_available = days.local_date(message.made_available_at)
        assert days.local_date(message.deemed_received_at) == days.add_working_days(made_available, 3)
        assert (
            message.deemed_received_at.astimezone(days.local_zone()).time()
            == message.made_available_at.astimezone(days.local_zone()).time()
        )
        assert message.deadline is None
        assert message.alert_sent_at is not None
    assert sorted(email.to[0] for email in mail.outbox) == sorted([person.email, lawyer.email, representative.email])


@pytest.mark.django_db(transaction=True)
def test_the_alert_names_neither_case_nor_party_and_speaks_the_procedures_language():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    case_file.language = "nl"  # a Dutch procedure (law of 15 June 1935); the person prefers Dutch too
    case_file.save(update_fields=["language"])
    send(clerk, case_file, [services.mailbox_of_user(person)], subject="Contrôle de biologie clinique")
    (alert,) = mail.outbox
    assert alert.to == [person.email]
    body = alert.subject + alert.body + alert.alternatives[0].content
    for secret in (case_file.reference, "Contrôle", "Décision", person.last_name, person.first_name, clerk.last_name):
        assert secret not in body
    assert "/nl/mailbox/" in alert.body
    assert "brievenbus" in alert.subject.lower()


@pytest.mark.django_db(transaction=True)
def test_an_alert_of_a_procedure_goes_out_in_the_procedures_language_first():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    case_file.language = "de"  # a German procedure; the person prefers Dutch
    case_file.save(update_fields=["language"])
    assert person.preferred_language == "nl"
    send(clerk, case_file, [services.mailbox_of_user(person)])
    (alert,) = mail.outbox
    assert "/de/mailbox/" in alert.body


@pytest.mark.django_db(transaction=True)
def test_sending_again_changes_nothing():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    dispatch = prepare(clerk, case_file, [services.mailbox_of_user(person)], kind=MessageKind.COMMUNICATION)
    first = services.send_dispatch(actor=clerk, dispatch=dispatch)
    second = services.send_dispatch(actor=clerk, dispatch=dispatch)
    assert first == second
    assert Message.objects.count() == 1
    assert EvidenceEvent.objects.filter(event=Event.MADE_AVAILABLE).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_each_message_is_atomic_and_a_failed_one_is_placed_on_the_next_try(monkeypatch):
    case_file, clerk, person, lawyer, _document = case_with_parties()
    dispatch = prepare(clerk, case_file, [services.mailbox_of_user(person), services.mailbox_of_user(lawyer)])
    real_alert = services._alert

    def crash_for_lawyer(message, **kwargs):
        if message.mailbox.user == lawyer:
            raise RuntimeError("storage down")
        return real_alert(message, **kwargs)

    monkeypatch.setattr(services, "_alert", crash_for_lawyer)
    with pytest.raises(RuntimeError):
        services.send_dispatch(actor=clerk, dispatch=dispatch)
    assert list(Message.objects.values_list("mailbox__user", flat=True)) == [person.pk]
    assert EvidenceEvent.objects.filter(event=Event.MADE_AVAILABLE).count() == 1  # the lawyer's rolled back
    monkeypatch.setattr(services, "_alert", real_alert)
    services.send_dispatch(actor=clerk, dispatch=dispatch)
    assert Message.objects.count() == 2
    assert EvidenceEvent.objects.filter(event=Event.MADE_AVAILABLE).count() == 2


@pytest.mark.django_db
def test_only_staff_of_the_case_files_unit_may_send():
    case_file, _clerk, person, _lawyer, _document = case_with_parties()
    outsider = StaffFactory(unit=UnitFactory(code="CPI"))
    with pytest.raises(PermissionDenied):
        send(outsider, case_file, [services.mailbox_of_user(person)])
    with pytest.raises(PermissionDenied):
        send(person, case_file, [services.mailbox_of_user(person)])


@pytest.mark.django_db
def test_bad_dispatches_are_refused_with_a_reason():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    box = services.mailbox_of_user(person)
    with pytest.raises(ValidationError):
        send(clerk, case_file, [])
    with pytest.raises(ValidationError):
        send(clerk, case_file, [box], kind=MessageKind.COMMUNICATION, time_limit_days=15)
    other_case, other_clerk, _p, _l, other_document = case_with_parties(unit=clerk.memberships.get().unit)
    with pytest.raises(ValidationError):
        send(clerk, case_file, [box], documents=[other_document])
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_new_file_goes_through_intake_and_becomes_a_document_of_the_case_file_and_of_the_message():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eservices.demo.files import make_pdf

    case_file, clerk, person, _lawyer, _document = case_with_parties()
    upload = SimpleUploadedFile("Convocation.pdf", make_pdf("Convocation"), content_type="application/pdf")
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], new_files=[upload])
    (document,) = message.documents.all()
    assert document.case_file == case_file
    assert document.original_filename == "Convocation.pdf"
    assert document.stored_file is not None  # received by the intake pipeline
    assert document.visibility == "staff_only"


@pytest.mark.django_db
def test_a_document_waiting_for_its_virus_scan_cannot_be_sent():
    from eservices.intake.models import ScanStatus

    case_file, clerk, person, _lawyer, document = case_with_parties()
    document.stored_file.scan_status = ScanStatus.PENDING
    document.stored_file.save()
    with pytest.raises(ValidationError):
        send(clerk, case_file, [services.mailbox_of_user(person)], documents=[document])
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_alerts_to_one_address_are_grouped(settings, django_capture_on_commit_callbacks):
    settings.ALERT_GROUPING_SECONDS = 180
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    box = services.mailbox_of_user(person)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(clerk, case_file, [box], subject="Un")[0]
        second = send(clerk, case_file, [box], subject="Deux")[0]
    assert OutboxEmail.objects.count() == 1
    alert = OutboxEmail.objects.get()
    assert set(alert.mailbox_messages.all()) == {first, second}
    assert alert.next_attempt_at > timezone.now()  # held back for the window
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    from eservices.notifications.services import deliver_due

    deliver_due()
    assert len(mail.outbox) == 1
    for message in (first, second):
        assert events(message) == [Event.MADE_AVAILABLE, Event.ALERT_SENT]


@pytest.mark.django_db
def test_a_company_without_a_confirmed_representative_cannot_be_alerted_which_is_a_work_item():
    case_file, clerk, _person, _lawyer, _document = case_with_parties()
    company, _requested = company_with_representative(status="requested")
    (message,) = send(clerk, case_file, [services.mailbox_of_company(company)])
    message.refresh_from_db()
    assert events(message) == [Event.MADE_AVAILABLE, Event.ALERT_FAILED]
    assert message.alert_failed_at is not None
    from eservices.mailbox.queries import failed_alerts_for_staff

    assert list(failed_alerts_for_staff(clerk)) == [message]


@pytest.mark.django_db
def test_the_units_rule_sets_the_dates():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    DeliveryRule.objects.create(
        unit=case_file.unit,
        kind=MessageKind.NOTIFICATION,
        deemed_received_days=10,
        not_opened_days=20,
        reminder_days_before=3,
        time_limit_start=TimeLimitStart.OPENED,
        legal_source="Règlement de procédure, art. 12",  # it departs from the law's 3 working days
    )
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], time_limit_days=30)
    made_available = days.local_date(message.made_available_at)
    assert days.local_date(message.deemed_received_at) == days.add_working_days(made_available, 10)
    assert message.not_opened_after - message.made_available_at == datetime.timedelta(days=20)
    assert message.deemed_received_at - message.reminder_at == datetime.timedelta(days=3)
    assert message.deadline is None  # runs from the opening
    (communication,) = send(clerk, case_file, [services.mailbox_of_user(person)], kind=MessageKind.COMMUNICATION)
    assert communication.deemed_received_at is None and communication.deadline is None


@pytest.mark.django_db
def test_an_address_its_owner_did_not_confirm_gets_no_alert_which_is_a_work_item():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    person.email_confirmed_at = None
    person.save()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    assert OutboxEmail.objects.count() == 0
    assert events(message) == [Event.MADE_AVAILABLE, Event.ALERT_FAILED]
