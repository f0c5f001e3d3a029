"""Everything the portal holds about one person, for the person to download ("My data").

Scoped reads only: each section is a query filtered on the person (their account, their own mailbox, their
requests, grants, deposits, party records, the files they sent or that were refused, the e-mails sent to their
confirmed address, the evidence and audit events where they act or that concern them) and a function that makes
one row of it, so that the export is streamed row by row and its counts are cheap. Nothing names another
person: deciders and staff are left out (staff appear by their unit), messages are metadata (no text, no
documents), the national register number is masked. What is left out, and why, is listed in docs/security.md.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet

from eservices.access import abilities
from eservices.access.models import AccessGrant, AccessRequest
from eservices.audit.models import AuditEvent
from eservices.casefiles.models import CaseFile, Party
from eservices.deposits.models import Deposit
from eservices.evidence.models import DepositReceipt, EvidenceEvent
from eservices.identity import nrn
from eservices.identity.crypto import decrypt_nrn
from eservices.identity.models import User
from eservices.intake.models import IntakeRejection, StoredFile
from eservices.mailbox.models import Message
from eservices.notifications.models import OutboxEmail

FORMAT_VERSION = 2
CHUNK = 500


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def _masked_nrn(user):
    try:
        value = decrypt_nrn(user.nrn_encrypted)
    except Exception:  # noqa: BLE001 - a copy under a retired key is still "a number we hold", shown masked
        return "***" if user.nrn_encrypted else None
    return nrn.mask(value) if value else None


def profile(user):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "preferred_language": user.preferred_language,
        "national_number": _masked_nrn(user),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


@dataclass(frozen=True)
class Section:
    """One list of the export: the rows of ``query(user)``, each made by ``row(obj, user)``."""

    query: Callable[[Any], QuerySet]
    row: Callable[[Any, Any], dict]

    def count(self, user) -> int:
        return self.query(user).count()

    def rows(self, user):
        for obj in self.query(user).iterator(chunk_size=CHUNK):
            yield self.row(obj, user)


def _oidc_account(account, user):
    return {
        "issuer": account.issuer,
        "subject": account.subject,
        "created_at": _iso(account.created_at),
        "last_login_at": _iso(account.last_login_at),
    }


def _representation(representation, user):
    return {
        "company": representation.company.name,
        "company_number": representation.company.company_number,
        "status": representation.status,
        "source": representation.source,
        "requested_at": _iso(representation.requested_at),
        "decided_at": _iso(representation.decided_at),
        "ended_at": _iso(representation.ended_at),
        "document": _file(representation.document) if representation.document_id else None,
    }


def _access_request(access_request, user):
    return {
        "id": access_request.pk,
        "reference": access_request.reference,
        "capacity": access_request.capacity,
        "acting_for": access_request.acting_for,
        "message": access_request.message,
        "state": access_request.state,
        "submitted_at": _iso(access_request.submitted_at),
        "information_requested": access_request.information_requested,
        "additional_information": access_request.additional_information,
        "decided_at": _iso(access_request.decided_at),
        "refusal_reason": access_request.refusal_reason,
        "supporting_documents": [_file(document.stored_file) for document in access_request.supporting_documents.all()],
    }


def _access_grant(grant, user):
    return {
        "case_file": grant.case_file.reference,
        "capacity": grant.capacity,
        "acting_for": grant.acting_for,
        "scope": grant.scope,
        "granted_at": _iso(grant.granted_at),
        "valid_until": grant.valid_until.isoformat() if grant.valid_until else None,
        "revoked_at": _iso(grant.revoked_at),
        "last_visited_at": _iso(grant.last_visited_at),
    }


def _party_record(party, user):
    """The person as a party of a case file (whom a lawyer represents is the client's data, left out)."""
    return {
        "case_file": party.case_file.reference,
        "role": party.role,
        "name": party.display_name,
        "inami_number": party.inami_number,
        "national_number_known": bool(party.nrn_hash),
    }


def _own_messages(user):
    return Message.objects.filter(mailbox__user=user)


def _message(message, user):
    return {
        "id": message.pk,
        "kind": message.kind,
        "subject": message.subject,
        "unit": message.unit.code,
        "case_file": message.case_file.reference if message.case_file_id else None,
        "made_available_at": _iso(message.made_available_at),
        "opened_at": _iso(message.opened_at),
        "deemed_received_at": _iso(message.deemed_received_at),
        "deadline": message.deadline.isoformat() if message.deadline else None,
        "archived_at": _iso(message.archived_at),
        "documents": message.documents.count(),
    }


def _own_deposits(user):
    return Deposit.objects.filter(depositor=user)


def _file(stored_file):
    return {"name": stored_file.display_name, "sha256": stored_file.sha256, "size": stored_file.size}


def _deposit(deposit, user):
    receipt = DepositReceipt.objects.filter(subject_type=Deposit._meta.label_lower, subject_id=str(deposit.pk)).first()
    return {
        "number": deposit.number,
        "case_file": deposit.case_file.reference if deposit.case_file_id else None,
        "unit": deposit.unit.code,
        "capacity": deposit.capacity,
        "message_sha256": deposit.message_sha256,
        "accepted_at": _iso(deposit.accepted_at),
        "state": deposit.state,
        "files": [_file(file.stored_file) for file in deposit.files.all()],
        "receipt": {"status": receipt.status, "sha256": receipt.sha256, "signed_at": _iso(receipt.signed_at)}
        if receipt is not None
        else None,
    }


def _uploaded_file(stored_file, user):
    return {
        **_file(stored_file),
        "media_type": stored_file.media_type,
        "policy": stored_file.policy,
        "received_at": _iso(stored_file.created_at),
        "scan_status": stored_file.scan_status,
    }


def _refused_upload(rejection, user):
    return {
        "name": rejection.display_name,
        "sha256": rejection.sha256,
        "bytes_read": rejection.size,
        "policy": rejection.policy,
        "reason": rejection.code,
        "refused_at": _iso(rejection.created_at),
    }


def _emails_to(user):
    """E-mails queued for the person's address since they confirmed it. The outbox keeps an address, not an
    account: mails to an unconfirmed address, or sent before it was confirmed, may be someone else's."""
    if not user.email or user.email_confirmed_at is None:
        return OutboxEmail.objects.none()
    return OutboxEmail.objects.filter(to__iexact=user.email, created_at__gte=user.email_confirmed_at)


def _email(email, user):
    return {
        "created_at": _iso(email.created_at),
        "to": email.to,
        "language": email.language,
        "subject": email.subject,
        "text": email.body_text,
        "status": email.status,
        "sent_at": _iso(email.sent_at),
        "bounced_at": _iso(email.bounced_at),
    }


def _evidence_events(user):
    """Events where the person acts, or whose subject is one of their messages or deposits."""
    concerning = Q(actor=user)
    concerning |= Q(
        subject_type=Message._meta.label_lower,
        subject_id__in=[str(pk) for pk in _own_messages(user).values_list("pk", flat=True)],
    )
    concerning |= Q(
        subject_type=Deposit._meta.label_lower,
        subject_id__in=[str(pk) for pk in _own_deposits(user).values_list("pk", flat=True)],
    )
    return EvidenceEvent.objects.filter(concerning).order_by("occurred_at", "pk")


def _evidence_event(event, user):
    return {
        "event": event.event,
        "occurred_at": _iso(event.occurred_at),
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "by_you": event.actor_id == user.pk,
        "capacity": event.capacity if event.actor_id == user.pk else "",
    }


def _audit_event(event, user):
    return {
        "sequence": event.sequence,
        "occurred_at": _iso(event.occurred_at),
        "action": event.action,
        "capacity": event.capacity,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "client_address": event.client_address,
    }


def _events_about(user):
    """Audit events done by others to the person (sessions ended, account disabled, address changed by staff),
    and the staff's openings of the case files where the person is a party."""
    own_case_files = Party.objects.filter(user=user).values("case_file_id")
    about_account = Q(object_type=User._meta.label_lower, object_id=str(user.pk))
    staff_consultations = Q(
        action="casefile.consulted",
        capacity=abilities.STAFF_CAPACITY,
        object_type=CaseFile._meta.label_lower,
        object_id__in=[str(pk) for pk in CaseFile.objects.filter(pk__in=own_case_files).values_list("pk", flat=True)],
    )
    return AuditEvent.objects.filter(about_account | staff_consultations).exclude(actor=user).order_by("sequence")


def _event_about(event, user):
    """Who acted is not named: staff (and administrators) by their unit when there is one, or the system."""
    return {
        "sequence": event.sequence,
        "occurred_at": _iso(event.occurred_at),
        "action": event.action,
        "by": "system" if event.actor_id is None else "staff",
        "unit": event.unit_code or event.details.get("unit", ""),
        "object_type": event.object_type,
        "object": event.object_repr if event.object_type == CaseFile._meta.label_lower else "",
    }


SECTIONS = {
    "oidc_accounts": Section(lambda user: user.oidc_accounts.order_by("created_at", "pk"), _oidc_account),
    "representations": Section(
        lambda user: user.representations.select_related("company", "document").order_by("requested_at", "pk"),
        _representation,
    ),
    "access_requests": Section(
        lambda user: (
            AccessRequest.objects.filter(requester=user)
            .prefetch_related("supporting_documents__stored_file")
            .order_by("submitted_at", "pk")
        ),
        _access_request,
    ),
    "access_grants": Section(
        lambda user: AccessGrant.objects.filter(user=user).select_related("case_file").order_by("granted_at", "pk"),
        _access_grant,
    ),
    "party_records": Section(
        lambda user: Party.objects.filter(user=user).select_related("case_file").order_by("case_file_id", "pk"),
        _party_record,
    ),
    "messages": Section(
        lambda user: _own_messages(user).select_related("unit", "case_file").order_by("made_available_at", "pk"),
        _message,
    ),
    "deposits": Section(
        lambda user: (
            _own_deposits(user)
            .select_related("unit", "case_file")
            .prefetch_related("files__stored_file")
            .order_by("accepted_at", "pk")
        ),
        _deposit,
    ),
    "uploaded_files": Section(
        lambda user: StoredFile.objects.filter(uploaded_by=user).order_by("created_at", "pk"), _uploaded_file
    ),
    "refused_uploads": Section(
        lambda user: IntakeRejection.objects.filter(actor=user).order_by("created_at", "pk"), _refused_upload
    ),
    "emails": Section(lambda user: _emails_to(user).order_by("created_at", "pk"), _email),
    "evidence_events": Section(_evidence_events, _evidence_event),
    "audit_events": Section(lambda user: AuditEvent.objects.filter(actor=user).order_by("sequence"), _audit_event),
    "events_about_you": Section(_events_about, _event_about),
}


def counts(user) -> dict:
    """How many rows each section holds (recorded with the export)."""
    return {name: section.count(user) for name, section in SECTIONS.items()}


def stream(user):
    """The export as JSON text, piece by piece: one section's rows at a time, never the whole in memory."""
    encoder = json.JSONEncoder(ensure_ascii=False, default=DjangoJSONEncoder().default)
    yield f'{{"format_version": {FORMAT_VERSION},\n"profile": {encoder.encode(profile(user))}'
    for name, section in SECTIONS.items():
        yield f",\n{encoder.encode(name)}: ["
        separator = "\n"
        for row in section.rows(user):
            yield separator + encoder.encode(row)
            separator = ",\n"
        yield "]"
    yield "}\n"
