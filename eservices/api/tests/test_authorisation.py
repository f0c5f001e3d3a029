"""What each client gets from each URL of the API: no token, a token without the URL's scope, a client of another
unit with every scope, and the rightful client. Refusals change nothing (no row, no audit event); the rightful
writes are audited naming the client."""

import uuid

import pytest
from django.db import transaction

from eservices.api.tests.world import api_world
from eservices.audit.models import AuditEvent
from eservices.core.tests.test_authorisation_matrix import changed, snapshot

from .clients import api


def pdf():
    from eservices.core.tests.authorisation import new_pdf

    return new_pdf("api.pdf")


# name: (method, url of the world, scope, data of the world or None, rightful status, format)
CASES = {
    "case_files.list": ("get", lambda w: "/api/v1/case-files/", "casefiles:read", None, 200),
    "case_files.create": (
        "post",
        lambda w: "/api/v1/case-files/",
        "casefiles:write",
        lambda w: {
            "unit": w.unit.code,
            "reference": "CPI/2026/0777",
            "kind": "investigation",
            "subject": "Nouveau",
            "language": "fr",
            "opened_on": "2026-03-01",
        },
        201,
    ),
    "case_file.read": ("get", lambda w: f"/api/v1/case-files/{w.case_file.pk}/", "casefiles:read", None, 200),
    "case_file.update": (
        "patch",
        lambda w: f"/api/v1/case-files/{w.case_file.pk}/",
        "casefiles:write",
        lambda w: {"subject": "Changé"},
        200,
    ),
    "parties.list": ("get", lambda w: f"/api/v1/case-files/{w.case_file.pk}/parties/", "casefiles:read", None, 200),
    "parties.add": (
        "post",
        lambda w: f"/api/v1/case-files/{w.case_file.pk}/parties/",
        "casefiles:write",
        lambda w: {"role": "lawyer", "display_name": "Me Nouveau"},
        201,
    ),
    "documents.list": (
        "get",
        lambda w: f"/api/v1/case-files/{w.case_file.pk}/documents/",
        "documents:read",
        None,
        200,
    ),
    "documents.add": (
        "post",
        lambda w: f"/api/v1/case-files/{w.case_file.pk}/documents/",
        "documents:write",
        lambda w: {"file": pdf(), "title": "Rapport", "kind": "report", "document_date": "2026-03-01"},
        201,
    ),
    "document.content": ("get", lambda w: f"/api/v1/documents/{w.public.pk}/content/", "documents:read", None, 200),
    "notifications.list": ("get", lambda w: "/api/v1/notifications/", "notifications:read", None, 200),
    "notifications.send": (
        "post",
        lambda w: "/api/v1/notifications/",
        "notifications:write",
        lambda w: {
            "case_file": w.case_file.pk,
            "kind": "communication",
            "subject": "Information",
            "text": "Voir pièce.",
            "parties": [w.concerned.pk],
            "documents": [w.public.pk],
        },
        201,
    ),
    "notification.evidence": (
        "get",
        lambda w: f"/api/v1/notifications/{w.messages[0].pk}/evidence/",
        "notifications:read",
        None,
        200,
    ),
    "deposits.list": ("get", lambda w: "/api/v1/deposits/", "deposits:read", None, 200),
    "deposit.read": ("get", lambda w: f"/api/v1/deposits/{w.deposit.pk}/", "deposits:read", None, 200),
    "deposit.file": ("get", lambda w: f"/api/v1/deposits/{w.deposit.pk}/files/1/", "deposits:read", None, 200),
    "deposit.receipt": ("get", lambda w: f"/api/v1/deposits/{w.deposit.pk}/receipt/", "deposits:read", None, 200),
    "deposit.acknowledge": (
        "post",
        lambda w: f"/api/v1/deposits/{w.deposit.pk}/acknowledge/",
        "deposits:write",
        lambda w: {},
        200,
    ),
    "access_requests.list": ("get", lambda w: "/api/v1/access-requests/", "access_requests:read", None, 200),
    "access_request.decide": (
        "post",
        lambda w: f"/api/v1/access-requests/{w.access_request.pk}/decision/",
        "access_requests:write",
        lambda w: {"decision": "refuse", "reason": "other", "details": "Pas de lien avec le dossier."},
        200,
    ),
    "representations.list": ("get", lambda w: "/api/v1/representations/", "representations:read", None, 200),
    "evidence.feed": ("get", lambda w: "/api/v1/evidence/", "evidence:read", None, 200),
}


def call(http, method, url, data):
    headers = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex} if method == "post" else {}
    if data is None:
        return getattr(http, method)(url, **headers)
    if any(hasattr(value, "read") for value in data.values()):
        return http.post(url, data, **headers)
    return getattr(http, method)(url, data, content_type="application/json", **headers)


def leaks(body, world):
    """Whether a listing shows an object of the world's unit (CPI)."""
    items = body.get("results", body.get("events", []))
    message_ids = {str(message.pk) for message in world.messages}
    return any(
        item.get("unit") == world.unit.code
        or item.get("case_file") == world.case_file.pk
        or item.get("reference") == world.case_file.reference
        or item.get("company") == world.company.company_number
        or item.get("subject_id") in message_ids
        for item in items
    )


def test_every_url_of_the_api_has_a_case():
    from eservices.api.urls import urlpatterns

    covered = {"schema", "docs", "token"}
    names = {pattern.name for pattern in urlpatterns}
    url_names = {
        "case_files.list": "case_files",
        "case_file.read": "case_file",
        "parties.list": "parties",
        "documents.list": "documents",
        "document.content": "document_content",
        "notifications.list": "notifications",
        "notification.evidence": "notification_evidence",
        "deposits.list": "deposits",
        "deposit.read": "deposit",
        "deposit.file": "deposit_file",
        "deposit.receipt": "deposit_receipt",
        "deposit.acknowledge": "deposit_acknowledge",
        "access_requests.list": "access_requests",
        "access_request.decide": "access_request_decision",
        "representations.list": "representations",
        "evidence.feed": "evidence_feed",
    }
    assert names - covered == {url_names[case] for case in CASES if case in url_names}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_client_gets_what_its_scopes_and_units_allow(case):
    world = api_world()
    method, url, scope, data, rightful_status = CASES[case]
    listing = case in ("case_files.list", "notifications.list", "deposits.list", "access_requests.list")
    listing = listing or case in ("representations.list", "evidence.feed")
    callers = {
        "no token": (api("not-a-token"), 401),
        "without the scope": (world.scopeless_http, 403),
        # Another unit's client: a list without this unit's objects, 404 for one of them.
        "other unit": (world.other_http, 200 if listing else 404),
        "rightful": (world.http, rightful_status),
    }
    wrong = {}
    for name, (http, expected) in callers.items():
        before = snapshot()
        last = AuditEvent.objects.order_by("-sequence").first()
        with transaction.atomic():
            response = call(http, method, url(world), data(world) if data else None)
            after = snapshot()
            new_events = list(AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0))
            transaction.set_rollback(True)
        if response.status_code != expected:
            wrong[name] = f"expected {expected}, got {response.status_code} {getattr(response, 'content', b'')[:300]}"
        elif name == "other unit":
            if leaks(response.json(), world):
                wrong[name] = f"sees the unit's objects: {response.content[:300]}"
        elif expected >= 400:
            if changed(before, after):
                wrong[name] = f"refused but changed {changed(before, after)}"
            if response["Content-Type"] != "application/problem+json; charset=utf-8":
                wrong[name] = f"not a problem: {response['Content-Type']}"
        elif method != "get" or case in ("document.content", "deposit.file", "deposit.receipt"):
            if not new_events:
                wrong[name] = "the rightful request recorded nothing"
            elif not all(event.details.get("api_client") == "api:unit-all" for event in new_events):
                wrong[name] = f"an event does not name the client: {[e.action for e in new_events]}"
    assert wrong == {}, case
