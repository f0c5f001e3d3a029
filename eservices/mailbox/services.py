"""Use cases of the mailbox: preparing and sending a dispatch, opening, archiving, downloading, the periodic
jobs (deemed received, not opened, reminders) and the follow-up of failed alerts and paper letters."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.calendar import days
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import Document
from eservices.core import display
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import record_event
from eservices.identity.models import Capacity
from eservices.identity.queries import alert_address
from eservices.notifications.services import queue_email
from eservices.units.staff import is_staff_of

from . import deadlines
from .models import DeliveryRule, Dispatch, FilterChoice, Mailbox, Message, MessageKind, StartEvent
from .queries import readable_mailbox, representatives_of

ALERT_GROUP = "mailbox-alert"
REMINDER = "mailbox/email/reminder"


def mailbox_of_user(user):
    return Mailbox.objects.get_or_create(user=user)[0]


def mailbox_of_company(company):
    return Mailbox.objects.get_or_create(company=company)[0]


def rule_for(unit, kind):
    """The unit's rule for this kind of message, or the defaults (an unsaved rule)."""
    return DeliveryRule.objects.filter(unit=unit, kind=kind).first() or DeliveryRule(unit=unit, kind=kind)


def prepare_dispatch(
    *,
    actor,
    case_file,
    kind,
    subject,
    text,
    addressees,
    documents=(),
    new_files=(),
    time_limit_months=0,
    time_limit_days=0,
    request=None,
):
    """Prepare a sending in a case file of one of the actor's units.

    ``new_files`` are uploads: each goes through the intake pipeline as a document of the case file
    (``casefiles.services.add_document``), before and outside the dispatch's transaction so that a refusal stays
    recorded (it raises ``ValidationError`` with the reason). New documents stay confidential to staff in the case
    file: the addressees reach them through the message.
    """
    if not is_staff_of(actor, case_file.unit):
        raise PermissionDenied
    if not addressees:
        raise ValidationError(_("Choose at least one addressee."))
    if kind == MessageKind.COMMUNICATION and (time_limit_months or time_limit_days):
        raise ValidationError(_("Only a formal notification can carry a time limit."))
    if any(document.case_file_id != case_file.pk for document in documents):
        raise ValidationError(_("Documents must belong to the case file."))
    attached = list(documents)
    for upload in new_files:
        attached.append(
            casefile_services.add_document(
                actor=actor,
                case_file=case_file,
                title=upload.name.rsplit(".", 1)[0][:300],
                kind=Document.Kind.NOTIFICATION if kind == MessageKind.NOTIFICATION else Document.Kind.CORRESPONDENCE,
                document_date=days.local_today(),
                content=upload,
                filename=upload.name,
                visibility=Document.Visibility.STAFF_ONLY,
                request=request,
            )
        )
    for document in attached:
        if not document.is_released:  # waiting for its virus scan
            raise ValidationError(
                _("The file %(name)s is still being checked; add it again later.") % {"name": document.title}
            )
    return _create_dispatch(
        actor=actor,
        case_file=case_file,
        kind=kind,
        subject=subject,
        text=text,
        addressees=addressees,
        documents=attached,
        time_limit_months=time_limit_months,
        time_limit_days=time_limit_days,
        request=request,
    )


@transaction.atomic
def _create_dispatch(*, actor, case_file, addressees, documents, request, **fields):
    dispatch = Dispatch.objects.create(unit=case_file.unit, case_file=case_file, created_by=actor, **fields)
    dispatch.addressees.set(addressees)
    dispatch.documents.set(documents)
    record("mailbox.dispatch_prepared", actor=actor, target=dispatch, request=request)
    return dispatch


def send_dispatch(*, actor, dispatch, request=None):
    """Place the dispatch's message in each addressee's mailbox: one transaction per message, idempotent."""
    if not is_staff_of(actor, dispatch.unit):
        raise PermissionDenied
    messages = [
        _send_one(actor=actor, dispatch=dispatch, mailbox=mailbox, request=request)
        for mailbox in dispatch.addressees.select_related("user", "company")
    ]
    if dispatch.sent_at is None:
        Dispatch.objects.filter(pk=dispatch.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        dispatch.refresh_from_db(fields=["sent_at"])
    return messages


def _send_one(*, actor, dispatch, mailbox, request):
    existing = Message.objects.filter(dispatch=dispatch, mailbox=mailbox).first()
    if existing is not None:
        return existing
    try:
        return _place(actor=actor, dispatch=dispatch, mailbox=mailbox, request=request)
    except IntegrityError:  # a concurrent send placed it first
        return Message.objects.get(dispatch=dispatch, mailbox=mailbox)


@transaction.atomic
def _place(*, actor, dispatch, mailbox, request):
    now = timezone.now()
    rule = rule_for(dispatch.unit, dispatch.kind)
    message = Message(
        dispatch=dispatch,
        mailbox=mailbox,
        unit=dispatch.unit,
        case_file=dispatch.case_file,
        kind=dispatch.kind,
        subject=dispatch.subject,
        text=dispatch.text,
        sent_by=actor,
        made_available_at=now,
        time_limit_months=dispatch.time_limit_months,
        time_limit_days=dispatch.time_limit_days,
        time_limit_start=rule.time_limit_start,
    )
    if dispatch.kind == MessageKind.NOTIFICATION:
        deadlines.delivery_dates(message, rule)
        if deadlines.starts_when_made_available(message):
            deadlines.start_time_limit(message, StartEvent.MADE_AVAILABLE, now)
    message.save()
    note_filter_choices(mailbox, unit_id=message.unit_id, case_file_id=message.case_file_id)
    message.documents.set(dispatch.documents.all())
    details = {
        "mailbox": mailbox.pk,
        "case_file": dispatch.case_file.reference,
        "documents": [{"title": document.title, "sha256": document.sha256} for document in dispatch.documents.all()],
        "digest": message_digest(message),
    }
    if message.deadline:
        details["deadline"] = message.deadline.isoformat()
    record_event(
        EvidenceEvent.Event.MADE_AVAILABLE,
        subject=message,
        actor=actor,
        occurred_at=now,
        details=details,
        request=request,
    )
    _alert(message, template="mailbox/email/new_item")
    return message


def note_filter_choices(mailbox, *, unit_id, case_file_id):
    """Keep the mailbox's filter choices: the message's unit and case file (one insert, existing ones ignored)."""
    choices = [FilterChoice(mailbox=mailbox, unit_id=unit_id)]
    if case_file_id:
        choices.append(FilterChoice(mailbox=mailbox, case_file_id=case_file_id))
    FilterChoice.objects.bulk_create(choices, ignore_conflicts=True)


def message_digest(message):
    """SHA-256 over the message's subject, text and documents' hashes: what the evidence says was made available."""
    digest = hashlib.sha256()
    for part in (message.subject, message.text, *sorted(message.documents.values_list("sha256", flat=True))):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def alert_recipients(mailbox, procedure_language=""):
    """(address, language) of whom an alert reaches: the person, or the company's confirmed representatives;
    only addresses their owner confirmed (identity's ``alert_address``). The language is the procedure's when the
    message belongs to a case file (law of 15 June 1935 on the use of languages in judicial matters), else the
    person's preference."""
    people = [mailbox.user] if mailbox.user_id else list(representatives_of(mailbox.company_id))
    return [
        (alert_address(person), procedure_language or person.preferred_language)
        for person in people
        if alert_address(person)
    ]


def _alert(message, *, template):
    """Queue the alert e-mails of a message; with no address to alert, the alert fails at once. A reminder gives
    the date the message will be deemed received."""
    language = message.case_file.language if message.case_file_id else ""
    recipients = alert_recipients(message.mailbox, language)
    group = ALERT_GROUP
    for address, language in recipients:
        context = {}
        with translation.override(language):
            context["mailbox_url"] = settings.SITE_URL + reverse("mailbox:index")
            if template == REMINDER:
                deemed = timezone.localtime(message.deemed_received_at, days.local_zone())
                context["deemed_received_on"] = display.moment(deemed)
                group = f"{ALERT_GROUP}:{template}:{deemed:%Y%m%d%H%M}"  # one date per grouped reminder
        email = queue_email(
            template=template,
            to=address,
            language=language,
            context=context,
            group_key=group,
            delay=datetime.timedelta(seconds=settings.ALERT_GROUPING_SECONDS),
        )
        message.alerts.add(email)
    if not recipients and template == "mailbox/email/new_item":
        _alert_failed(message, details={"reason": "no e-mail address"})


@transaction.atomic
def record_alert_outcome(*, email, sent):
    """The outbox reports that an alert left or finally failed: evidence for each message it announced."""
    for message in Message.objects.filter(alerts=email):
        details = {"alert": email.pk}
        if sent:
            record_event(EvidenceEvent.Event.ALERT_SENT, subject=message, occurred_at=email.sent_at, details=details)
            if message.alert_sent_at is None:
                Message.objects.filter(pk=message.pk).update(alert_sent_at=email.sent_at)
        else:
            details["error"] = email.last_error
            _alert_failed(message, details=details)


def _alert_failed(message, *, details):
    now = timezone.now()
    record_event(EvidenceEvent.Event.ALERT_FAILED, subject=message, occurred_at=now, details=details)
    # A work item for the sending unit (the back office's list of failed alerts), even if it was handled before.
    Message.objects.filter(pk=message.pk).update(
        alert_failed_at=now, alert_failure_handled_at=None, alert_failure_handled_by=None
    )


def reader_capacity(user, message):
    """The capacity in which ``user`` reads ``message``: a company's representative, or their role in the case."""
    if message.mailbox.company_id:
        return Capacity.COMPANY_REPRESENTATIVE
    roles = {
        "lawyer": Capacity.LAWYER,
        "service_lawyer": Capacity.SERVICE_LAWYER,
        "authorised_third_party": Capacity.AUTHORISED_THIRD_PARTY,
    }
    if message.case_file_id:
        role = message.case_file.parties.filter(user=user).values_list("role", flat=True).first()
        return roles.get(role, Capacity.CONCERNED_PERSON)
    return Capacity.CONCERNED_PERSON


@transaction.atomic
def open_message(*, actor, message, request=None):
    """The addressee, or someone acting for them, reads the message: its first opening is evidence."""
    now = timezone.now()
    if not Message.objects.filter(pk=message.pk, opened_at__isnull=True).update(opened_at=now, opened_by=actor):
        return False
    message.opened_at, message.opened_by = now, actor
    capacity = reader_capacity(actor, message)
    record_event(
        EvidenceEvent.Event.OPENED, subject=message, actor=actor, capacity=capacity, occurred_at=now, request=request
    )
    _save_start(message, StartEvent.OPENED, now)
    return True


START_FIELDS = ("deadline", "time_limit_started_by", "time_limit_started_on")


def _save_start(message, event, moment):
    """Start (or, for a paper letter, restart) the message's time limit and save it (art. 53bis). The first start
    wins, even when the opening and the deemed-receipt job race: only a paper letter overwrites one."""
    if not deadlines.start_time_limit(message, event, moment):
        return False
    rows = Message.objects.filter(pk=message.pk)
    if event != StartEvent.PAPER_LETTER:
        rows = rows.filter(deadline__isnull=True)
    if not rows.update(**{field: getattr(message, field) for field in START_FIELDS}):
        message.refresh_from_db(fields=START_FIELDS)
        return False
    return True


@transaction.atomic
def set_archived(*, actor, message, archived, request=None):
    """The reader of a mailbox (its person, or a company's confirmed representative) files a message away."""
    if readable_mailbox(actor, message.mailbox_id) is None:
        raise PermissionDenied
    message.archived_at = timezone.now() if archived else None
    message.save(update_fields=["archived_at"])
    record("mailbox.archived" if archived else "mailbox.unarchived", actor=actor, target=message, request=request)


@transaction.atomic
def record_download(*, actor, message, document, request=None):
    record_event(
        EvidenceEvent.Event.DOWNLOADED,
        subject=message,
        actor=actor,
        capacity=reader_capacity(actor, message),
        details={"document": document.pk, "title": document.title, "sha256": document.sha256},
        request=request,
    )


def _deemed_received(message):
    details = {}
    if _save_start(message, StartEvent.DEEMED_RECEIVED, message.deemed_received_at):
        details["deadline"] = message.deadline.isoformat()
    record_event(
        EvidenceEvent.Event.DEEMED_RECEIVED, subject=message, occurred_at=message.deemed_received_at, details=details
    )


def _not_opened(message):
    record_event(EvidenceEvent.Event.NOT_OPENED, subject=message, occurred_at=message.not_opened_after)


def _remind(message):
    _alert(message, template=REMINDER)
    record("mailbox.reminder_sent", target=message)


# name, when it is due, the field that marks it done, what it does
JOBS = [
    ("deemed_received", "deemed_received_at", "deemed_received_recorded_at", _deemed_received),
    ("not_opened", "not_opened_after", "not_opened_recorded_at", _not_opened),
    ("reminders", "reminder_at", "reminder_sent_at", _remind),
]


def run_jobs(now=None):
    """The periodic jobs: deemed received, not opened (paper fallback), reminders. Each message once."""
    now = now or timezone.now()
    counts = {}
    for name, due_field, done_field, act in JOBS:
        due = Message.objects.filter(
            kind=MessageKind.NOTIFICATION,
            opened_at__isnull=True,
            **{f"{due_field}__lte": now, f"{done_field}__isnull": True},
        )
        if name == "reminders":
            due = due.filter(deemed_received_at__gt=now)  # no reminder once it is deemed received
        counts[name] = sum(_run_job(pk, done_field, now, act) for pk in due.values_list("pk", flat=True))
    return counts


@transaction.atomic
def _run_job(pk, done_field, now, act):
    """Claim the message for one job (once, even with two workers running), then act on it."""
    claimed = Message.objects.filter(pk=pk, opened_at__isnull=True, **{f"{done_field}__isnull": True}).update(
        **{done_field: now}
    )
    if not claimed:
        return 0
    act(Message.objects.select_related("mailbox__user", "mailbox__company").get(pk=pk))
    return 1


@transaction.atomic
def record_paper_letter(*, actor, message, sent_on, request=None):
    """Staff state that the paper letter of a notification not opened in time was sent. For a message still
    unopened, its time limit runs again from the third working day after posting (art. 53bis, 2°)."""
    if not is_staff_of(actor, message.unit):
        raise PermissionDenied
    message.paper_letter_sent_on = sent_on
    message.paper_letter_recorded_by = actor
    message.save(update_fields=["paper_letter_sent_on", "paper_letter_recorded_by"])
    details = {"on": str(sent_on)}
    if message.opened_at is None and _save_start(
        message, StartEvent.PAPER_LETTER, deadlines.paper_notification_day(sent_on)
    ):
        details["deadline"] = message.deadline.isoformat()
    record("mailbox.paper_letter_sent", actor=actor, target=message, request=request, details=details)


@transaction.atomic
def handle_failed_alert(*, actor, message, request=None):
    """Staff state that they dealt with an alert that failed (called, wrote, corrected the address)."""
    if not is_staff_of(actor, message.unit):
        raise PermissionDenied
    message.alert_failure_handled_at = timezone.now()
    message.alert_failure_handled_by = actor
    message.save(update_fields=["alert_failure_handled_at", "alert_failure_handled_by"])
    record("mailbox.failed_alert_handled", actor=actor, target=message, request=request)


def _chunks(field_file, size=1024 * 1024):
    with field_file.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def evidence_bundle(message):
    """The sealed evidence bundle of one message (``evidence.bundles``): its documents and every evidence event
    (made available, alert sent or failed, opened and by whom, deemed received, not opened, downloads), with the
    paper letter when one was sent, summarised in the addressee's language. Raises ``SigningUnavailable``."""
    from eservices.evidence import bundles
    from eservices.evidence.services import events_for

    mailbox = message.mailbox
    language = (mailbox.user.preferred_language if mailbox.user_id else "") or message.case_file.language
    documents = list(message.documents.order_by("pk"))
    extra = {
        "case_file": message.case_file.reference,
        "kind": message.kind,
        "message_sha256": message_digest(message),
        "made_available_at": message.made_available_at.isoformat(),
        "deadline": message.deadline.isoformat() if message.deadline else "",
        "paper_letter_sent_on": message.paper_letter_sent_on.isoformat() if message.paper_letter_sent_on else "",
    }
    facts = bundles.facts_for(
        subject_kind="message",
        reference=f"MSG-{message.pk}",
        language=language,
        addressee=str(mailbox),
        documents=[(d.original_filename, d.size, d.sha256, d.media_type) for d in documents],
        events=events_for(message),
        extra=extra,
    )
    return bundles.build(facts, [(d.original_filename, _chunks(d.file)) for d in documents])


@transaction.atomic
def export_evidence(*, actor, message, request=None):
    """Staff of the message's unit take its evidence bundle (the documents go with it: recorded)."""
    if not is_staff_of(actor, message.unit):
        raise PermissionDenied
    data = evidence_bundle(message)
    record("mailbox.evidence_exported", actor=actor, target=message, request=request, unit=message.unit)
    return data
