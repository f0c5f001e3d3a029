"""Reads the mailbox screens need, each scoped to what the reader may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from eservices.casefiles.models import CaseFile
from eservices.evidence.services import events_for
from eservices.identity.models import Capacity, Representation, User
from eservices.identity.queries import can_act_for, companies_represented_by
from eservices.units import staff
from eservices.units.models import Unit

from .models import FilterChoice, Mailbox, Message


def representatives_of(company_id):
    """The people who may act for the company now (confirmed representations): its alerts go to them.

    The converse of identity's ``companies_represented_by``, which identity does not offer yet.
    """
    return User.objects.filter(
        representations__company_id=company_id, representations__status=Representation.Status.CONFIRMED
    ).distinct()


def readable_mailboxes(user):
    """The user's own mailbox and those of the companies they may act for."""
    companies = companies_represented_by(user).values("pk")
    return Mailbox.objects.filter(Q(user=user) | Q(company_id__in=companies)).select_related("user", "company")


def readable_mailbox(user, mailbox_id):
    """One mailbox the user may read, or None (the view answers 404)."""
    mailbox = Mailbox.objects.select_related("user", "company").filter(pk=mailbox_id).first()
    if mailbox is None:
        return None
    if mailbox.user_id == user.pk or (mailbox.company_id and can_act_for(user, mailbox.company)):
        return mailbox
    return None


def messages_in(mailbox, *, archived=False, case_file=None, unit=None, kind=None, since=None, until=None, search=""):
    """The mailbox's messages, newest first, with what the list shows (no per-row query)."""
    messages = (
        Message.objects.filter(mailbox=mailbox, archived_at__isnull=not archived)
        .select_related("unit", "case_file")
        .only(
            "id",
            "mailbox_id",
            "kind",
            "subject",
            "made_available_at",
            "opened_at",
            "deadline",
            "deemed_received_at",
            "time_limit_months",
            "time_limit_days",
            "archived_at",
            "unit__id",
            "unit__code",
            "unit__name_fr",
            "unit__name_nl",
            "unit__name_de",
            "unit__name_en",
            "case_file__id",
            "case_file__reference",
            "case_file__language",
        )
    )
    if case_file:
        messages = messages.filter(case_file_id=case_file)
    if unit:
        messages = messages.filter(unit_id=unit)
    if kind:
        messages = messages.filter(kind=kind)
    if since:
        messages = messages.filter(made_available_at__gte=_local_midnight(since))
    if until:
        messages = messages.filter(made_available_at__lt=_local_midnight(until + datetime.timedelta(days=1)))
    if search:
        messages = messages.filter(subject__icontains=search)
    return messages


def _local_midnight(day):
    """The start of a Belgian calendar day, as an aware moment (an index-friendly range, not a date function)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


# Past this many unread messages the page says "more than" instead of counting them all (issue 15).
UNREAD_BOUND = 1000


def unread_count(mailbox, bound=UNREAD_BOUND):
    """Unread messages in the mailbox, counted up to ``bound`` + 1 (index only, whatever the mailbox's size): a
    result above ``bound`` means "more than ``bound``"."""
    unread = Message.objects.filter(mailbox=mailbox, archived_at__isnull=True, opened_at__isnull=True).order_by()
    return unread.values("id")[: bound + 1].count()


@dataclass
class KeysetPage:
    """One page of a list read by cursor (keyset pagination: no COUNT, no OFFSET, the same cost on any page)."""

    object_list: list
    newer: str = ""  # cursor of the page before (newer messages), "" on the first page
    older: str = ""  # cursor of the page after (older messages), "" on the last

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return bool(self.newer or self.older)


def _cursor(message):
    return f"{message.made_available_at.astimezone(datetime.UTC).isoformat()}~{message.pk}"


def _parse_cursor(value):
    try:
        moment, pk = (value or "").rsplit("~", 1)
        parsed = datetime.datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            return None
        return parsed, int(pk)
    except ValueError:
        return None


def keyset_page(messages, *, before="", after="", size=25):
    """The page of ``messages`` (newest first: ``-made_available_at, -id``) older than the cursor ``before``, or
    newer than ``after``, or the first one; a bad cursor gives the first page. Reads ``size`` + 1 rows by the
    list's index."""
    older_than, newer_than = _parse_cursor(before), _parse_cursor(after)
    if newer_than is not None:
        moment, pk = newer_than
        rows = list(
            messages.filter(Q(made_available_at__gt=moment) | Q(made_available_at=moment, id__gt=pk)).order_by(
                "made_available_at", "id"
            )[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        if not rows:
            return keyset_page(messages, size=size)
        return KeysetPage(rows, newer=_cursor(rows[0]) if more_newer else "", older=_cursor(rows[-1]))
    if older_than is not None:
        moment, pk = older_than
        messages = messages.filter(Q(made_available_at__lt=moment) | Q(made_available_at=moment, id__lt=pk))
    rows = list(messages.order_by("-made_available_at", "-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    newer = _cursor(rows[0]) if older_than is not None and rows else ""
    return KeysetPage(rows, newer=newer, older=_cursor(rows[-1]) if more_older and rows else "")


def message_in(mailbox, message_id):
    return (
        Message.objects.select_related("unit", "case_file", "opened_by", "mailbox__user", "mailbox__company")
        .filter(mailbox=mailbox, pk=message_id)
        .first()
    )


def filter_choices(mailbox):
    """The case files and units that appear in a mailbox, for its filters: read from the choices kept as messages
    are placed (``FilterChoice``), not recomputed over the mailbox's messages."""
    choices = FilterChoice.objects.filter(mailbox=mailbox)
    case_files = CaseFile.objects.filter(pk__in=choices.filter(case_file__isnull=False).values("case_file_id"))
    units = Unit.objects.filter(pk__in=choices.filter(unit__isnull=False).values("unit_id"))
    return (
        list(case_files.order_by("reference").values_list("pk", "reference")),
        list(units.order_by("code").values_list("pk", "code")),
    )


def messages_for_staff(user):
    """Messages sent by the staff member's units."""
    return Message.objects.filter(staff.of_my_units(user)).select_related(
        "unit", "case_file", "mailbox__user", "mailbox__company", "opened_by"
    )


def paper_fallback_for_staff(user):
    """Notifications of the staff member's units not opened in time, waiting for (or with) their paper letter."""
    return (
        messages_for_staff(user)
        .filter(not_opened_recorded_at__isnull=False)
        .order_by("paper_letter_sent_on", "not_opened_after")
    )


def failed_alerts_for_staff(user):
    """Messages of the staff member's units whose alert failed and that nobody handled yet."""
    return messages_for_staff(user).filter(alert_failed_at__isnull=False, alert_failure_handled_at__isnull=True)


def evidence_of(message):
    """The message's evidence, oldest first, each with its capacity's label."""
    labels = dict(Capacity.choices)
    events = list(events_for(message))
    for event in events:
        event.capacity_label = labels.get(event.capacity, event.capacity)
    return events


def waiting_for(user, today, *, limit=5):
    """What waits for the person in the mailboxes they read (their home page): each mailbox with its unread
    count, and the nearest deadlines still to come (not archived), nearest first. Three queries."""
    mailboxes = list(
        readable_mailboxes(user).annotate(
            unread=Count("messages", filter=Q(messages__archived_at__isnull=True, messages__opened_at__isnull=True))
        )
    )
    deadlines = list(
        Message.objects.filter(
            mailbox__in=[mailbox.pk for mailbox in mailboxes], archived_at__isnull=True, deadline__gte=today
        )
        .select_related("case_file", "unit")
        .order_by("deadline", "id")[:limit]
    )
    return mailboxes, deadlines
