"""Use cases of access: request, ask for more, add information, grant, refuse, revoke, and record what was read.

Each is one atomic function with a keyword-only ``actor`` and an audit record in the same transaction; the
decision e-mail goes through the outbox and leaves after the commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.audit.models import AuditEvent
from eservices.audit.services import record
from eservices.calendar import days
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import record_event
from eservices.identity.queries import alert_address
from eservices.intake import policies
from eservices.intake import services as intake_services
from eservices.notifications.services import queue_email
from eservices.units.models import Unit

from . import abilities
from .models import AccessGrant, AccessRequest, SupportingDocument


def normalise_reference(reference):
    return " ".join((reference or "").split()).upper()


def _due_date(start=None):
    """The last day to decide: ACCESS_DECISION_DAYS after the request, counted on the legal calendar (a last day on
    a Saturday, a Sunday or a legal holiday moves to the next working day, as every time limit of the portal)."""
    return days.time_limit_end(start or days.local_today(), days=settings.ACCESS_DECISION_DAYS)


def receive_supporting_documents(files, *, actor, request=None):
    """Receive the supporting documents through the intake pipeline, all or none.

    Runs outside any transaction (files are spooled and scanned); a refused file refuses them all with a
    ``ValidationError`` that names each refused file and why.
    """
    if not files:
        return []
    outcome = intake_services.receive_submission(
        files, policy=policies.SUPPORTING_DOCUMENT, actor=actor, request=request
    )
    if not outcome.accepted:
        raise ValidationError(
            [f"{result.display_name}: {result.reason}" for result in outcome.rejections], code="refused_file"
        )
    return outcome.stored_files


def _with_supporting_documents(use_case, *, actor, files, request, **arguments):
    """Run ``use_case`` with the received files; if it fails, the files are withdrawn."""
    stored_files = receive_supporting_documents(files, actor=actor, request=request)
    try:
        return use_case(actor=actor, stored_files=stored_files, request=request, **arguments)
    except BaseException:
        for stored_file in stored_files:
            intake_services.discard(stored_file, actor=actor, request=request)
        raise


def _attach(access_request, stored_files):
    SupportingDocument.objects.bulk_create(
        SupportingDocument(request=access_request, stored_file=stored_file) for stored_file in stored_files
    )


def submit_request(*, actor, files=(), request=None, **arguments):
    """Ask for access to a case file by its reference (see :func:`_submit_request`), with supporting files."""
    return _with_supporting_documents(_submit_request, actor=actor, files=files, request=request, **arguments)


@transaction.atomic
def _submit_request(*, actor, reference, capacity, acting_for="", company=None, message="", stored_files, request):
    """Ask for access to a case file by its reference.

    The same work is done whether the reference names a case file or not, and the requester sees the same
    answer: an unmatched request waits in the queue of the unit its prefix names (or of none).
    """
    reference = normalise_reference(reference)
    case_file = abilities.CaseFile.objects.filter(reference=reference).select_related("unit").first()
    prefix_unit = Unit.objects.filter(code__iexact=reference.split("/")[0]).first()
    access_request = AccessRequest.objects.create(
        requester=actor,
        reference=reference,
        case_file=case_file,
        unit=case_file.unit if case_file else prefix_unit,
        capacity=capacity,
        acting_for=acting_for,
        company=company,
        message=message,
        decision_due_on=_due_date(),
    )
    _attach(access_request, stored_files)
    record(
        "access.requested",
        actor=actor,
        capacity=capacity,
        target=access_request,
        request=request,
        details={"reference": reference, "matched": case_file is not None, "files": len(stored_files)},
    )
    return access_request


def _check_decider(actor, access_request):
    """Staff of the request's unit only, on an open request; the row is locked until the decision commits."""
    if access_request.unit_id is None or not abilities.is_staff_of(actor, access_request.unit_id):
        raise PermissionDenied
    current = AccessRequest.objects.select_for_update().only("state", "case_file").get(pk=access_request.pk)
    access_request.state = current.state
    if not access_request.is_open:
        raise ValidationError(_("This request has already been decided."), code="decided")


@transaction.atomic
def link_case_file(*, actor, access_request, case_file, request=None):
    """Staff name the case file an unmatched (or mistyped) request is about; it must belong to their unit."""
    _check_decider(actor, access_request)
    if case_file.unit_id != access_request.unit_id:
        raise ValidationError(_("This case file does not belong to the unit of the request."), code="other_unit")
    access_request.case_file = case_file
    access_request.save(update_fields=["case_file"])
    record("access.linked", actor=actor, target=access_request, request=request, details={"case_file": case_file.pk})
    return access_request


@transaction.atomic
def grant(
    *, actor, access_request, scope=AccessGrant.Scope.WHOLE, documents=(), valid_until=None, party=None, request=None
):
    """Grant the request: the whole case file or chosen documents, until a date; the requester is told."""
    _check_decider(actor, access_request)
    access_grant = access_request.grant_access(
        actor=actor, scope=scope, documents=documents, valid_until=valid_until, party=party
    )
    record(
        "access.granted",
        actor=actor,
        target=access_request,
        request=request,
        details={
            "grant": access_grant.pk,
            "case_file": access_grant.case_file_id,
            "scope": scope,
            "documents": sorted(document.pk for document in documents),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    _tell_requester(access_request)
    return access_grant


@transaction.atomic
def refuse(*, actor, access_request, reason, details="", request=None):
    """Refuse the request with a reason from the list and an explanation; the requester is told why."""
    _check_decider(actor, access_request)
    access_request.refuse(actor=actor, reason=reason, details=details)
    record("access.refused", actor=actor, target=access_request, request=request, details={"reason": reason})
    _tell_requester(access_request)
    return access_request


@transaction.atomic
def ask_for_information(*, actor, access_request, question, request=None):
    """Ask the requester for more (a mandate, an explanation); the request waits for their answer."""
    _check_decider(actor, access_request)
    access_request.state = AccessRequest.State.MORE_INFORMATION_REQUESTED
    access_request.information_requested = question
    access_request.save(update_fields=["state", "information_requested"])
    record("access.more_information_requested", actor=actor, target=access_request, request=request)
    _tell_requester(access_request)
    return access_request


def add_information(*, actor, files=(), request=None, **arguments):
    """The requester answers a question from staff (see :func:`_add_information`), with supporting files."""
    return _with_supporting_documents(_add_information, actor=actor, files=files, request=request, **arguments)


@transaction.atomic
def _add_information(*, actor, access_request, text, stored_files, request):
    """The requester answers a question from staff; the request is back in the queue with a new deadline."""
    if access_request.requester_id != actor.pk:
        raise PermissionDenied
    # Locked and read again, as staff decisions do: a refusal (or a grant) committed since the page was
    # loaded must not be overwritten by this answer putting the request back in the queue.
    current = (
        AccessRequest.objects.select_for_update().only("state", "additional_information").get(pk=access_request.pk)
    )
    access_request.state = current.state
    access_request.additional_information = current.additional_information
    if not access_request.is_open:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if access_request.state != AccessRequest.State.MORE_INFORMATION_REQUESTED:
        raise ValidationError(_("No information was asked for on this request."), code="not_asked")
    separator = "\n\n" if access_request.additional_information else ""
    access_request.additional_information = f"{access_request.additional_information}{separator}{text}"[:4000]
    access_request.state = AccessRequest.State.REQUESTED
    access_request.decision_due_on = _due_date()
    access_request.save(update_fields=["additional_information", "state", "decision_due_on"])
    _attach(access_request, stored_files)
    record(
        "access.information_added",
        actor=actor,
        capacity=access_request.capacity,
        target=access_request,
        request=request,
        details={"files": len(stored_files)},
    )
    return access_request


@transaction.atomic
def revoke(*, actor, access_grant, reason, request=None):
    """End a grant now; the person no longer sees the case file."""
    if not abilities.is_staff_of(actor, access_grant.case_file.unit_id):
        raise PermissionDenied
    if access_grant.revoked_at is not None:
        raise ValidationError(_("This access has already been revoked."), code="revoked")
    access_grant.revoked_at = timezone.now()
    access_grant.revoked_by = actor
    access_grant.revocation_reason = reason
    access_grant.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record(
        "access.revoked",
        actor=actor,
        target=access_grant.case_file,
        request=request,
        details={"grant": access_grant.pk, "user": access_grant.user_id},
    )
    return access_grant


def _tell_requester(access_request):
    """The decision e-mail, in the requester's language; it names no case file and no document."""
    requester = access_request.requester
    address = alert_address(requester)
    if not address:
        return
    queue_email(
        template="access/email/decision",
        to=address,
        language=requester.preferred_language,
        context={"access_request": access_request, "state": access_request.state},
    )


@transaction.atomic
def record_supporting_download(*, actor, supporting_document, request=None):
    """Staff opened a supporting document of an access request."""
    record(
        "access.supporting_document_downloaded",
        actor=actor,
        capacity=abilities.STAFF_CAPACITY,
        target=supporting_document.request,
        request=request,
        details={"document": supporting_document.pk, "sha256": supporting_document.stored_file.sha256},
    )


@transaction.atomic
def record_consultation(*, actor, case_file, capacity, unit_code="", grant=None, request=None):
    """A case file's page was opened: the audit event the law requires (shown in "who looked at my file"), one
    insert and nothing else. The grant's last visit is derived from these events by :func:`apply_visits`, run
    by the scheduler (at once when the chain is sealed inline: the embedded default, one writer at a time)."""
    event = record(
        "casefile.consulted",
        actor=actor,
        capacity=capacity,
        target=case_file,
        request=request,
        details={"unit": unit_code} if unit_code else None,
    )
    if grant is not None and settings.AUDIT_SEALING == "inline":
        _note_visit(grant.user_id, case_file.pk, event.occurred_at)


# How far back each run of apply_visits looks (it runs every minute; this covers a scheduler down for a while).
VISITS_LOOKBACK = datetime.timedelta(minutes=15)


def _note_visit(user_id, case_file_id, when):
    """Move the grants' last visit forward to ``when`` (never back: runs may overlap and arrive in any order)."""
    return (
        AccessGrant.objects.filter(user_id=user_id, case_file_id=case_file_id)
        .filter(Q(last_visited_at__isnull=True) | Q(last_visited_at__lt=when))
        .update(last_visited_at=when)
    )


def apply_visits(since=None):
    """Set each grant's last visit from the consultations recorded since ``since`` (default: the last
    ``VISITS_LOOKBACK``): the scheduler's batch, so that opening a case file writes no shared row. The number of
    grants moved forward."""
    since = since or timezone.now() - VISITS_LOOKBACK
    latest = (
        AuditEvent.objects.filter(
            action="casefile.consulted",
            occurred_at__gte=since,
            object_type=AccessGrant._meta.get_field("case_file").related_model._meta.label_lower,
            actor__isnull=False,
        )
        .exclude(capacity=abilities.STAFF_CAPACITY)
        .values("actor_id", "object_id")
        .annotate(last=Max("occurred_at"))
    )
    return sum(_note_visit(row["actor_id"], int(row["object_id"]), row["last"]) for row in latest)


@transaction.atomic
def record_downloads(*, actor, documents, capacity, unit_code="", archive=False, request=None):
    """Each document handed out is DOWNLOADED evidence: who, which document, in which capacity."""
    details = {"archive": True} if archive else {}
    if unit_code:
        details["unit"] = unit_code
    for document in documents:
        record_event(
            EvidenceEvent.Event.DOWNLOADED,
            subject=document,
            actor=actor,
            capacity=capacity,
            details={**details, "case_file": document.case_file_id, "sha256": document.sha256},
            request=request,
        )


# The free texts of access requests, removed with the parties' names at the end of the retention period.
REQUEST_TEXTS = ("message", "information_requested", "additional_information", "refusal_details")


def remove_request_texts(*, case_file, dry_run=False):
    """Blank the free texts of the access requests made on ``case_file``; the number of requests that had any.

    Called by the retention job (``casefiles.retention``, through ``personal_data_due``) in its transaction, which
    records the count in its ``retention.applied`` event; nothing else erases them.
    """
    requests = AccessRequest.objects.filter(case_file=case_file)
    texts = requests.none()
    for name in REQUEST_TEXTS:
        texts |= requests.exclude(**{name: ""})
    count = texts.distinct().count()
    if not dry_run:
        requests.update(**dict.fromkeys(REQUEST_TEXTS, ""))
    return count
