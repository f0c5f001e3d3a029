"""The periodic jobs: reminders, deemed received, not opened (paper fallback), each once, with evidence."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from eservices.calendar import days
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for
from eservices.mailbox import services
from eservices.mailbox.models import StartEvent
from eservices.mailbox.queries import paper_fallback_for_staff
from eservices.notifications.models import OutboxEmail
from eservices.notifications.services import deliver_due

from .factories import case_with_parties, send

Event = EvidenceEvent.Event
DAY = datetime.timedelta(days=1)
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def events(message):
    return [event.event for event in events_for(message)]


@pytest.fixture
def sent():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], time_limit_months=1)
    deliver_due()  # the alert leaves (tests run in a transaction that never commits)
    mail.outbox.clear()
    return message, clerk, person


def run_at(moment):
    return services.run_jobs(moment)


def nothing(**done):
    return {"deemed_received": 0, "not_opened": 0, "reminders": 0, **done}


def check_jobs_run_once_each_at_their_moment(message, clerk, person):
    """Each job runs at the moment the deadline functions gave the message, not a second before, and once."""
    second = datetime.timedelta(seconds=1)
    assert run_at(message.reminder_at - second) == nothing()
    assert run_at(message.reminder_at) == nothing(reminders=1)
    reminder = OutboxEmail.objects.get(template="mailbox/email/reminder")
    assert reminder.to == person.email
    assert message.subject not in reminder.body_text
    with translation.override(reminder.language):  # the procedure's language; it gives the deemed date
        deemed_on = date_format(timezone.localtime(message.deemed_received_at), "DATETIME_FORMAT")
    assert deemed_on in reminder.body_text
    assert run_at(message.deemed_received_at - second) == nothing()
    assert run_at(message.deemed_received_at) == nothing(deemed_received=1)
    assert run_at(message.not_opened_after - second) == nothing()
    assert run_at(message.not_opened_after) == nothing(not_opened=1)
    assert run_at(message.not_opened_after + 30 * DAY) == nothing()
    message.refresh_from_db()
    recorded = [event for event in events(message) if event in (Event.DEEMED_RECEIVED, Event.NOT_OPENED)]
    assert recorded == [Event.DEEMED_RECEIVED, Event.NOT_OPENED]
    deemed = events_for(message).get(event=Event.DEEMED_RECEIVED)
    assert deemed.occurred_at == message.deemed_received_at  # stated at its time, to the second
    assert list(paper_fallback_for_staff(clerk)) == [message]
    return message


@pytest.mark.django_db
def test_reminder_then_deemed_received_then_not_opened(sent):
    message, clerk, person = sent
    message = check_jobs_run_once_each_at_their_moment(message, clerk, person)
    services.record_paper_letter(actor=clerk, message=message, sent_on=datetime.date(2026, 4, 1))
    message.refresh_from_db()
    assert message.paper_letter_sent_on == datetime.date(2026, 4, 1)
    assert message.paper_letter_recorded_by == clerk


@pytest.mark.django_db
def test_the_jobs_in_the_week_before_the_end_of_summer_time():
    """Summer time ends on Sunday 25 October 2026: the dates count Brussels calendar and working days at the same
    Brussels clock time, not 24-hour UTC steps."""
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    with time_machine.travel(at(2026, 10, 20, 10, 0), tick=False):  # Tuesday, summer time (UTC+2)
        (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], time_limit_months=1)
    assert message.deemed_received_at == at(2026, 10, 23, 10, 0)  # third working day: Friday
    assert message.reminder_at == at(2026, 10, 21, 10, 0)
    assert message.not_opened_after == at(2026, 11, 4, 10, 0)  # 10:00 winter time, 09:00 UTC
    assert message.not_opened_after.astimezone(datetime.UTC).hour == 9
    deliver_due()
    mail.outbox.clear()
    message = check_jobs_run_once_each_at_their_moment(message, clerk, person)
    # Deemed received on Friday 23 October: one month runs to Monday 23 November (art. 54).
    assert (message.time_limit_started_by, message.deadline) == (
        StartEvent.DEEMED_RECEIVED,
        datetime.date(2026, 11, 23),
    )
    # The paper letter posted on Wednesday 4 November counts from Monday 9 November (art. 53bis, 2°): it ends
    # on Wednesday 9 December.
    services.record_paper_letter(actor=clerk, message=message, sent_on=datetime.date(2026, 11, 4))
    message.refresh_from_db()
    assert (message.time_limit_started_by, message.time_limit_started_on) == (
        StartEvent.PAPER_LETTER,
        datetime.date(2026, 11, 9),
    )
    assert message.deadline == datetime.date(2026, 12, 9)


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
    opened, deemed = send(
        clerk, case_file, [services.mailbox_of_user(person), services.mailbox_of_user(lawyer)], time_limit_days=15
    )
    assert opened.deadline is None and deemed.deadline is None
    services.open_message(actor=person, message=opened)
    opened.refresh_from_db()
    assert opened.deadline == days.time_limit_end(opened.opened_at, days=15)
    services.run_jobs(deemed.deemed_received_at)
    deemed.refresh_from_db()
    assert deemed.deadline == days.time_limit_end(deemed.deemed_received_at, days=15)


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
