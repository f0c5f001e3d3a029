"""When a notification's time limit starts (Judicial Code art. 53bis), with the issue's dates: from the day after
the opening or the deemed receipt (three working days), from the third working day after posting for a paper
letter, the paper fallback before the end of the time limit, and a unit's rule departs from the law only with its
legal source."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from eservices.calendar import days
from eservices.mailbox import services
from eservices.mailbox.models import DeliveryRule, Message, MessageKind, StartEvent, TimeLimitStart

from .factories import case_with_parties, send

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def parties():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    return case_file, clerk, person


def send_on(moment, clerk, case_file, person, **kwargs):
    with time_machine.travel(moment, tick=False):
        (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], **kwargs)
    return message


@pytest.mark.django_db
def test_a_time_limit_runs_from_the_day_after_the_opening(parties):
    # Made available Monday 2 March 2026 10:00, opened Wednesday 4 March: 15 days run from Thursday 5 March and
    # end on Thursday 19 March. Making it available started nothing.
    case_file, clerk, person = parties
    message = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=15)
    assert message.deadline is None and message.time_limit_started_by == ""
    with time_machine.travel(at(2026, 3, 4, 16, 0), tick=False):
        services.open_message(actor=person, message=message)
    message.refresh_from_db()
    assert message.time_limit_started_by == StartEvent.OPENED
    assert message.time_limit_started_on == datetime.date(2026, 3, 4)
    assert message.deadline == datetime.date(2026, 3, 19)


@pytest.mark.django_db
def test_unopened_it_is_deemed_received_on_the_third_working_day(parties):
    # Made available Thursday 2 April 2026: Friday 3, (weekend, Easter Monday 6 April), Tuesday 7, Wednesday 8.
    case_file, clerk, person = parties
    message = send_on(at(2026, 4, 2, 11, 30), clerk, case_file, person, time_limit_days=15)
    assert message.deemed_received_at == at(2026, 4, 8, 11, 30)
    services.run_jobs(message.deemed_received_at)
    message.refresh_from_db()
    assert message.time_limit_started_by == StartEvent.DEEMED_RECEIVED
    assert message.deadline == datetime.date(2026, 4, 23)  # 8 April + 15 days, a Thursday
    # Opening it later changes nothing.
    services.open_message(actor=person, message=message)
    message.refresh_from_db()
    assert message.deadline == datetime.date(2026, 4, 23)


@pytest.mark.django_db
def test_the_paper_fallback_falls_before_the_end_of_the_time_limit(parties):
    # Monday 2 March 2026 10:00, deemed received Thursday 5 March; 10 days end on Sunday 15 -> Monday 16 March.
    # The unit's 15 days would put the paper fallback on 17 March, after the end: it comes on 16 March at 00:00.
    case_file, clerk, person = parties
    message = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=10)
    assert message.deemed_received_at == at(2026, 3, 5, 10, 0)
    assert message.not_opened_after == days.start_of_day(datetime.date(2026, 3, 16))
    # Without a time limit, the unit's 15 days apply.
    other = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person)
    assert other.not_opened_after == at(2026, 3, 17, 10, 0)


@pytest.mark.django_db
def test_a_paper_letter_restarts_the_time_limit_of_an_unopened_message_only(parties):
    case_file, clerk, person = parties
    unopened = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=15)
    services.run_jobs(unopened.not_opened_after)
    unopened.refresh_from_db()
    # Posted Friday 20 March 2026: Monday 23, Tuesday 24, Wednesday 25 March; 15 days end on Thursday 9 April.
    services.record_paper_letter(actor=clerk, message=unopened, sent_on=datetime.date(2026, 3, 20))
    unopened.refresh_from_db()
    assert unopened.time_limit_started_by == StartEvent.PAPER_LETTER
    assert unopened.time_limit_started_on == datetime.date(2026, 3, 25)
    assert unopened.deadline == datetime.date(2026, 4, 9)

    opened = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=15)
    with time_machine.travel(at(2026, 3, 4, 16, 0), tick=False):
        services.open_message(actor=person, message=opened)
    services.record_paper_letter(actor=clerk, message=opened, sent_on=datetime.date(2026, 3, 20))
    opened.refresh_from_db()
    assert (opened.time_limit_started_by, opened.deadline) == (StartEvent.OPENED, datetime.date(2026, 3, 19))


@pytest.mark.django_db
def test_a_rule_departs_from_the_law_only_with_its_legal_source(parties):
    case_file, _clerk, _person = parties
    for departure in [{"deemed_received_days": 8}, {"time_limit_start": TimeLimitStart.MADE_AVAILABLE}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            DeliveryRule.objects.create(unit=case_file.unit, kind=MessageKind.NOTIFICATION, **departure)
    DeliveryRule.objects.create(unit=case_file.unit, kind=MessageKind.NOTIFICATION)  # the law's defaults
    assert DeliveryRule().deemed_received_days == 3


@pytest.mark.django_db
def test_a_procedure_whose_text_says_so_starts_when_made_available(parties):
    case_file, clerk, person = parties
    DeliveryRule.objects.create(
        unit=case_file.unit,
        kind=MessageKind.NOTIFICATION,
        time_limit_start=TimeLimitStart.MADE_AVAILABLE,
        legal_source="Procedure X, art. 3",
    )
    message = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=15)
    assert (message.time_limit_started_by, message.deadline) == (StartEvent.MADE_AVAILABLE, datetime.date(2026, 3, 17))


@pytest.mark.django_db
def test_the_first_start_wins_when_the_opening_races_the_deemed_receipt(parties):
    case_file, clerk, person = parties
    message = send_on(at(2026, 3, 2, 10, 0), clerk, case_file, person, time_limit_days=15)
    stale = Message.objects.get(pk=message.pk)  # the opening request loaded it before the job ran
    services.run_jobs(message.deemed_received_at)  # deemed received on Thursday 5 March
    with time_machine.travel(at(2026, 3, 6, 9, 0), tick=False):
        services.open_message(actor=person, message=stale)
    stale.refresh_from_db()
    assert (stale.time_limit_started_by, stale.deadline) == (StartEvent.DEEMED_RECEIVED, datetime.date(2026, 3, 20))
