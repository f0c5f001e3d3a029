"""The periodic jobs: reminders, deemed received, not opened (paper fallback), each once, with evidence."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for
from eservices.mailbox import services
from eservices.mailbox.models import DeliveryRule, MessageKind, TimeLimitStart
from eservices.mailbox.queries import paper_fallback_for_staff
from eservices.notifications.models import OutboxEmail
from eservices.notifications.services import deliver_due

from .factories import case_with_parties, send

Event = EvidenceEvent.Event
DAY = datetime.timedelta(days=1)


def events(message):
    return [event.event for event in events_for(message)]


@pytest.fixture
def sent():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], time_limit_months=1)
    deliver_due()  # the alert leaves (tests run in a transaction that never commits)
    mail.outbox.clear()
    return message, clerk, person


@pytest.mark.django_db
def test_reminder_then_deemed_received_then_not_opened(sent):
    message, clerk, person = sent
    start = message.made_available_at
    assert services.run_jobs(start + 5 * DAY) == {"deemed_received": 0, "not_opened": 0, "reminders": 0}
    assert services.run_jobs(start + 6 * DAY) == {"deemed_received": 0, "not_opened": 0, "reminders": 1}
    reminder = OutboxEmail.objects.get(template="mailbox/email/reminder")
    assert reminder.to == person.email
    assert message.subject not in reminder.body_text
    assert services.run_jobs(start + 8 * DAY) == {"deemed_received": 1, "not_opened": 0, "reminders": 0}
    assert services.run_jobs(start + 15 * DAY) == {"deemed_received": 0, "not_opened": 1, "reminders": 0}
    assert services.run_jobs(start + 30 * DAY) == {"deemed_received": 0, "not_opened": 0, "reminders": 0}
    message.refresh_from_db()
    assert events(message)[-2:] == [Event.DEEMED_RECEIVED, Event.NOT_OPENED]
    deemed = events_for(message).get(event=Event.DEEMED_RECEIVED)
    assert deemed.occurred_at == message.deemed_received_at  # stated at its time, to the second
    assert list(paper_fallback_for_staff(clerk)) == [message]
    services.record_paper_letter(actor=clerk, message=message, sent_on=datetime.date(2026, 4, 1))
    message.refresh_from_db()
    assert message.paper_letter_sent_on == datetime.date(2026, 4, 1)
    assert message.paper_letter_recorded_by == clerk


@pytest.mark.django_db
def test_an_opened_notification_is_neither_reminded_nor_deemed_nor_paper(sent):
    message, clerk, person = sent
    assert services.open_message(actor=person, message=message)
    assert not services.open_message(actor=person, message=message)  # only the first opening counts
    assert services.run_jobs(message.made_available_at + 30 * DAY) == {
        "deemed_received": 0,
        "not_opened": 0,
        "reminders": 0,
    }
    assert events(message).count(Event.OPENED) == 1
    assert list(paper_fallback_for_staff(clerk)) == []


@pytest.mark.django_db
def test_a_time_limit_from_the_opening_starts_on_the_opening_or_on_the_deemed_date():
    case_file, clerk, person, lawyer, _document = case_with_parties()
    DeliveryRule.objects.create(
        unit=case_file.unit, kind=MessageKind.NOTIFICATION, time_limit_start=TimeLimitStart.OPENED
    )
    opened, deemed = send(
        clerk, case_file, [services.mailbox_of_user(person), services.mailbox_of_user(lawyer)], time_limit_days=15
    )
    assert opened.deadline is None and deemed.deadline is None
    services.open_message(actor=person, message=opened)
    opened.refresh_from_db()
    from eservices.mailbox.deadlines import time_limit_end

    assert opened.deadline == time_limit_end(opened.opened_at, days=15)
    services.run_jobs(deemed.made_available_at + 9 * DAY)
    deemed.refresh_from_db()
    assert deemed.deadline == time_limit_end(deemed.deemed_received_at, days=15)


@pytest.mark.django_db
def test_the_mailbox_jobs_command(sent):
    message, _clerk, _person = sent
    call_command("mailbox_jobs")  # nothing due yet
    assert events(message) == [Event.MADE_AVAILABLE, Event.ALERT_SENT]


@pytest.mark.django_db
def test_the_mailbox_jobs_task(sent):
    from eservices.mailbox.tasks import run_mailbox_jobs

    result = run_mailbox_jobs.enqueue()
    assert result.return_value == {"deemed_received": 0, "not_opened": 0, "reminders": 0}
