"""Everything the portal holds about one person, for the person to download ("My data").

Scoped reads only: each section is filtered on the person (their account, their own mailbox, their requests,
grants, deposits, the evidence and audit events where they act or that concern their messages and deposits).
Nothing names another person: deciders and staff are left out, messages are metadata (no text, no documents),
the national register number is masked. Company mailboxes are the company's, not the person's, and stay out.
"""

from django.db.models import Q

from eservices.access.models import AccessGrant, AccessRequest
from eservices.audit.models import AuditEvent
from eservices.deposits.models import Deposit
from eservices.evidence.models import DepositReceipt, EvidenceEvent
from eservices.identity import nrn
from eservices.identity.crypto import decrypt_nrn
from eservices.mailbox.models import Message

FORMAT_VERSION = 1


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


def oidc_accounts(user):
    return [
        {
            "issuer": account.issuer,
            "subject": account.subject,
            "created_at": _iso(account.created_at),
            "last_login_at": _iso(account.last_login_at),
        }
        for account in user.oidc_accounts.order_by("created_at", "pk")
    ]


def representations(user):
    return [
        {
            "company": representation.company.name,
            "company_number": representation.company.company_number,
            "status": representation.status,
            "source": representation.source,
            "requested_at": _iso(representation.requested_at),
            "decided_at": _iso(representation.decided_at),
            "ended_at": _iso(representation.ended_at),
        }
        for representation in user.representations.select_related("company").order_by("requested_at", "pk")
    ]


def access_requests(user):
    return [
        {
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
        }
        for access_request in AccessRequest.objects.filter(requester=user).order_by("submitted_at", "pk")
    ]


def access_grants(user):
    return [
        {
            "case_file": grant.case_file.reference,
            "capacity": grant.capacity,
            "acting_for": grant.acting_for,
            "scope": grant.scope,
            "granted_at": _iso(grant.granted_at),
            "valid_until": grant.valid_until.isoformat() if grant.valid_until else None,
            "revoked_at": _iso(grant.revoked_at),
            "last_visited_at": _iso(grant.last_visited_at),
        }
        for grant in AccessGrant.objects.filter(user=user).select_related("case_file").order_by("granted_at", "pk")
    ]


def _own_messages(user):
    return Message.objects.filter(mailbox__user=user)


def messages(user):
    return [
        {
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
        for message in _own_messages(user).select_related("unit", "case_file").order_by("made_available_at", "pk")
    ]


def _own_deposits(user):
    return Deposit.objects.filter(depositor=user)


def deposits(user):
    own = list(_own_deposits(user).select_related("unit", "case_file").order_by("accepted_at", "pk"))
    receipts = {
        receipt.subject_id: receipt
        for receipt in DepositReceipt.objects.filter(
            subject_type=Deposit._meta.label_lower, subject_id__in=[str(deposit.pk) for deposit in own]
        )
    }
    rows = []
    for deposit in own:
        receipt = receipts.get(str(deposit.pk))
        rows.append(
            {
                "number": deposit.number,
                "case_file": deposit.case_file.reference if deposit.case_file_id else None,
                "unit": deposit.unit.code,
                "capacity": deposit.capacity,
                "message_sha256": deposit.message_sha256,
                "accepted_at": _iso(deposit.accepted_at),
                "state": deposit.state,
                "files": [
                    {"name": file.stored_file.display_name, "sha256": file.stored_file.sha256}
                    for file in deposit.files.select_related("stored_file").order_by("pk")
                ],
                "receipt": {
                    "status": receipt.status,
                    "sha256": receipt.sha256,
                    "signed_at": _iso(receipt.signed_at),
                }
                if receipt is not None
                else None,
            }
        )
    return rows


def evidence_events(user):
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
    return [
        {
            "event": event.event,
            "occurred_at": _iso(event.occurred_at),
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "by_you": event.actor_id == user.pk,
            "capacity": event.capacity if event.actor_id == user.pk else "",
        }
        for event in EvidenceEvent.objects.filter(concerning).order_by("occurred_at", "pk")
    ]


def audit_events(user):
    return [
        {
            "sequence": event.sequence,
            "occurred_at": _iso(event.occurred_at),
            "action": event.action,
            "capacity": event.capacity,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "client_address": event.client_address,
        }
        for event in AuditEvent.objects.filter(actor=user).order_by("sequence").iterator(chunk_size=2000)
    ]


SECTIONS = {
    "profile": profile,
    "oidc_accounts": oidc_accounts,
    "representations": representations,
    "access_requests": access_requests,
    "access_grants": access_grants,
    "messages": messages,
    "deposits": deposits,
    "evidence_events": evidence_events,
    "audit_events": audit_events,
}


def export(user):
    """The whole export as one JSON-ready dict."""
    return {"format_version": FORMAT_VERSION, **{name: section(user) for name, section in SECTIONS.items()}}
