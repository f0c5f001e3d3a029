"""Reads the mailbox screens need, each scoped to what the reader may see."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from eservices.casefiles.models import CaseFile
from eservices.evidence.services import events_for
from eservices.identity.models import Capacity, Representation, User
from eservices.identity.queries import can_act_for, companies_represented_by
from eservices.units import staff
from eservices.units.models import Unit

from .models import Mailbox, Message


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


def unread_count(mailbox):
    return Message.objects.filter(mailbox=mailbox, archived_at__isnull=True, opened_at__isnull=True).count()


def message_in(mailbox, message_id):
    return (
        Message.objects.select_related("unit", "case_file", "opened_by", "mailbox__user", "mailbox__company")
        .filter(mailbox=mailbox, pk=message_id)
        .first()
    )


def filter_choices(mailbox):
    """The case files and units that appear in a mailbox, for its filters."""
    rows = Message.objects.filter(mailbox=mailbox).order_by()
    case_files = CaseFile.objects.filter(pk__in=rows.values("case_file_id")).order_by("reference")
    units = Unit.objects.filter(pk__in=rows.values("unit_id")).order_by("code")
    return list(case_files.values_list("pk", "reference")), list(units.values_list("pk", "code"))


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
