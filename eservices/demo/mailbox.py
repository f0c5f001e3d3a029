"""The demo's mailbox: read and unread notifications with and without a time limit, a communication, a company's
mailbox read by its representative, and one notification not opened past its limit (on the paper-fallback list).
Loaded idempotently: a message is sent only when its case file has no dispatch with that subject yet."""

import datetime

import pgtrigger
from django.utils import timezone

from eservices.calendar.days import add_days, time_limit_end
from eservices.casefiles.models import CaseFile, Document
from eservices.evidence.models import APPEND_ONLY, EvidenceEvent
from eservices.identity.models import Company, Representation, User
from eservices.mailbox import services
from eservices.mailbox.models import Dispatch, Message, MessageKind

# case file, addressee (username or company number), sender, kind, subject, text, months, days, opened, days ago
MESSAGES = [
    (
        "SECM/2026/001201",
        "dr.dubois",
        "agent.secm",
        MessageKind.NOTIFICATION,
        "Notification des constatations",
        "Madame,\n\nVous trouverez ci-joint le rapport de nos constatations. Vous pouvez y répondre par écrit.",
        1,
        0,
        False,
        0,
    ),
    (
        "SECM/2026/001201",
        "me.rousseau",
        "agent.secm",
        MessageKind.COMMUNICATION,
        "Copie du rapport pour information",
        "Maître,\n\nPour information, la copie du rapport notifié à votre cliente.",
        0,
        0,
        True,
        0,
    ),
    (
        "CPI/2026/0042",
        "dr.lefebvre",
        "greffier.cpi",
        MessageKind.NOTIFICATION,
        "Notification du jugement",
        "Le jugement de la Chambre de première instance est joint. Un appel est possible dans le mois.",
        1,
        0,
        True,
        3,
    ),
    (
        "SECM/2026/001202",
        "dr.peeters",
        "inspecteur.dgec",
        MessageKind.COMMUNICATION,
        "Planning van het verhoor",
        "Geachte dokter,\n\nHierbij de praktische informatie over het verhoor.",
        0,
        0,
        False,
        1,
    ),
    (
        "FD/2026/000311",
        "dr.simon",
        "fd.secm",
        MessageKind.NOTIFICATION,
        "Notification de la décision du fonctionnaire dirigeant",
        "La décision est jointe. Un recours est possible dans les quinze jours.",
        0,
        15,
        False,
        30,  # deemed received three working days after, then fifteen days: past its time limit
    ),
    (
        "SECM/2026/001205",
        "0412345614",
        "agent.secm",
        MessageKind.NOTIFICATION,
        "Notification à la société des constatations",
        "Vous trouverez ci-joint les constatations relatives à la facturation.",
        1,
        0,
        False,
        2,
    ),
]


def load():
    """Send what is missing; messages "days ago" are backdated, then the periodic jobs run."""
    medilab = Company.objects.filter(company_number="0412345614").first()
    manager = User.objects.filter(username="gerant.medilab").first()
    if medilab and manager and not Representation.objects.filter(user=manager, company=medilab).exists():
        Representation.objects.create(
            user=manager,
            company=medilab,
            status=Representation.Status.CONFIRMED,
            decided_at=timezone.now(),
            decided_by=User.objects.filter(username="agent.secm").first(),
        )
    for reference, addressee, sender, kind, subject, text, months, days, opened, days_ago in MESSAGES:
        case_file = CaseFile.objects.filter(reference=reference).first()
        if case_file is None or Dispatch.objects.filter(case_file=case_file, subject=subject).exists():
            continue
        clerk = User.objects.get(username=sender)
        if addressee.isdigit():
            mailbox = services.mailbox_of_company(Company.objects.get(company_number=addressee))
            reader = manager
        else:
            reader = User.objects.get(username=addressee)
            mailbox = services.mailbox_of_user(reader)
        documents = case_file.documents.exclude(visibility=Document.Visibility.STAFF_ONLY)[:1]
        dispatch = services.prepare_dispatch(
            actor=clerk,
            case_file=case_file,
            kind=kind,
            subject=subject,
            text=text,
            addressees=[mailbox],
            documents=list(documents),
            time_limit_months=months,
            time_limit_days=days,
        )
        (message,) = services.send_dispatch(actor=clerk, dispatch=dispatch)
        if days_ago:
            _backdate(message, datetime.timedelta(days=days_ago))
        if opened and reader is not None:
            message.refresh_from_db()
            services.open_message(actor=reader, message=message)
    services.run_jobs()


def _backdate(message, age):
    """Move a demo message and its made-available evidence back in time, as if sent ``age`` ago."""
    made_available_at = message.made_available_at - age
    fields = {"made_available_at": made_available_at}
    for name in ("deemed_received_at", "not_opened_after", "reminder_at"):
        if getattr(message, name):
            fields[name] = getattr(message, name) - age
    if message.deadline and message.time_limit_started_on:
        # The limit runs from the event that started it (art. 53bis), moved back with the message.
        started_on = message.time_limit_started_on - datetime.timedelta(days=age.days)
        fields["time_limit_started_on"] = started_on
        fields["deadline"] = time_limit_end(started_on, months=message.time_limit_months, days=message.time_limit_days)
    if message.reminder_at:
        # The demo does not send reminders for the past.
        fields["reminder_sent_at"] = add_days(made_available_at, 1)
    Message.objects.filter(pk=message.pk).update(**fields)
    # Demo data only: its own fresh evidence is moved back with the message, past the append-only trigger.
    with pgtrigger.ignore(APPEND_ONLY):
        EvidenceEvent.objects.filter(
            subject_type=message._meta.label_lower, subject_id=str(message.pk), event=EvidenceEvent.Event.MADE_AVAILABLE
        ).update(occurred_at=made_available_at)
