"""When the time limit of a notification starts (Judicial Code art. 53bis), and the delivery dates derived from a
unit's rule. The day arithmetic itself (art. 52-54, legal holidays) is the legal calendar's (``eservices.calendar``).

- Electronic notification: the time limit runs from the day after the addressee opened the message, or after the
  day it is deemed received when it stays unopened (art. 53bis follows the moment the addressee could take
  cognisance; the deemed receipt is that moment for an unread message).
- Deemed receipt: the third working day after the message was made available (as art. 53bis, 2° does for a letter
  posted), at the same clock time, unless the procedure's own text says otherwise (``DeliveryRule.legal_source``).
- Paper letter (art. 53bis, 2°): from the third working day after the letter was handed to the post; recorded by
  staff, it recomputes the time limit of a message that was not opened.
- The paper fallback of an unopened notification falls before the end of its time limit (counted from the deemed
  receipt), so that the letter can still serve.
"""

import datetime

from eservices.calendar import days

from .models import DeliveryRule, Message, MessageKind, StartEvent, TimeLimitStart

PAPER_WORKING_DAYS = 3  # art. 53bis, 2°


def end_from(message: Message, event: datetime.date | datetime.datetime) -> datetime.date:
    return days.time_limit_end(event, months=message.time_limit_months, days=message.time_limit_days)


def delivery_dates(message: Message, rule: DeliveryRule) -> None:
    """Set a notification's deemed receipt, reminder and paper-fallback moments from the unit's rule."""
    made_available = message.made_available_at
    message.deemed_received_at = days.add_working_days_at(made_available, rule.deemed_received_days)
    message.not_opened_after = days.add_days(made_available, rule.not_opened_days)
    if message.has_time_limit:  # before the last day of the shortest time limit it affects
        last_day = end_from(message, message.deemed_received_at)
        message.not_opened_after = min(message.not_opened_after, days.start_of_day(last_day))
    message.reminder_at = None
    if rule.reminder_days_before:
        reminder = days.add_days(message.deemed_received_at, -rule.reminder_days_before)
        if reminder > made_available:
            message.reminder_at = reminder


def start_time_limit(message: Message, event: str, moment: datetime.date | datetime.datetime) -> bool:
    """Start the message's time limit from ``event`` at ``moment`` (its dies a quo) unless it has started already;
    a paper letter recorded for an unopened message restarts it. Returns whether the deadline changed."""
    if not message.has_time_limit or message.kind != MessageKind.NOTIFICATION:
        return False
    if message.deadline is not None and event != StartEvent.PAPER_LETTER:
        return False
    message.time_limit_started_by = event
    message.time_limit_started_on = moment if not isinstance(moment, datetime.datetime) else days.local_date(moment)
    message.deadline = end_from(message, moment)
    return True


def starts_when_made_available(message: Message) -> bool:
    return message.time_limit_start == TimeLimitStart.MADE_AVAILABLE


def paper_notification_day(posted_on: datetime.date) -> datetime.date:
    """The day a letter handed to the post on ``posted_on`` counts as notified (art. 53bis, 2°)."""
    return days.add_working_days(posted_on, PAPER_WORKING_DAYS)
