"""The unit's queue of access requests and the decisions, end to end over HTTP."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import log_in
from eservices.access import services
from eservices.access.models import AccessGrant, AccessRequest
from eservices.audit.models import AuditEvent
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.demo.files import make_pdf
from eservices.identity.models import Capacity
from eservices.notifications.models import OutboxEmail


def request_from(world, user, reference="CPI/2026/0042", capacity=Capacity.LAWYER):
    return services.submit_request(actor=user, reference=reference, capacity=capacity, acting_for="Dr Concerned")


def test_the_queue_shows_requests_of_my_units_with_deadline_and_rag(world, client):
    mine = request_from(world, world.outsider)
    late = request_from(world, world.outsider, "CPI/2026/7777")
    AccessRequest.objects.filter(pk=late.pk).update(decision_due_on=timezone.localdate() - datetime.timedelta(days=1))
    other = request_from(world, world.outsider, "SECM/2026/000001")
    log_in(client, world.clerk)
    page = client.get("/en/backoffice/access-requests/").content.decode()
    assert f'href="/en/backoffice/access-requests/{mine.pk}/"' in page
    assert "R – Late" in page and "G – On time" in page and "no matching case file" in page
    assert f'href="/en/backoffice/access-requests/{other.pk}/"' not in page
    assert client.get(f"/en/backoffice/access-requests/{other.pk}/").status_code == 404


def test_lawyer_requests_clerk_grants_lawyer_downloads(world, client):
    """The flow of the demo: request as a lawyer, grant, e-mail, then the document and the ZIP."""
    newcomer = world.outsider
    newcomer.email = "newcomer@example.org"
    newcomer.save()
    log_in(client, newcomer)
    client.post(
        "/fr/access-requests/new/",
        {"reference": "CPI/2026/0042", "capacity": Capacity.LAWYER, "acting_for": "Dr Concerned", "message": "Bonjour"},
    )
    access_request = AccessRequest.objects.get(requester=newcomer)
    log_in(client, world.clerk)
    response = client.post(
        f"/en/backoffice/access-requests/{access_request.pk}/",
        {"action": "grant", "scope": "whole", "party": world.lawyer.pk, "valid_until": ""},
    )
    assert response.status_code == 302
    assert OutboxEmail.objects.get(to="newcomer@example.org").language == "fr"
    log_in(client, newcomer)
    assert "CPI/2026/0042" in client.get("/fr/case-files/").content.decode()
    response = client.get(f"/fr/documents/{world.public.pk}/download")
    assert response.status_code == 200
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(f"/fr/case-files/{world.case_file.pk}/documents.zip").streaming_content))
    )
    assert len(archive.namelist()) == 3  # inventory, public report, medical report (the lawyer's party follows)


def test_refuse_and_ask_for_information_over_http(world, client):
    first = request_from(world, world.outsider)
    second = request_from(world, world.outsider)
    log_in(client, world.clerk)
    response = client.post(f"/en/backoffice/access-requests/{first.pk}/", {"action": "refuse", "reason": "other"})
    assert "Explain the reason." in response.content.decode()
    # A refusal is confirmed first: the page says what the requester will read; nothing is decided yet.
    response = client.post(f"/en/backoffice/access-requests/{first.pk}/", {"action": "refuse", "reason": "not_a_party"})
    assert "Confirm the refusal" in response.content.decode() and "You are not a party" in response.content.decode()
    first.refresh_from_db()
    assert first.state == "requested"
    client.post(
        f"/en/backoffice/access-requests/{first.pk}/",
        {"action": "refuse", "reason": "not_a_party", "confirmed": "yes"},
    )
    client.post(f"/en/backoffice/access-requests/{second.pk}/", {"action": "ask", "question": "Mandat ?"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "refused" and second.state == "more_information_requested"
    again = client.post(
        f"/en/backoffice/access-requests/{first.pk}/", {"action": "grant", "scope": "whole"}, follow=True
    )
    assert "already been decided" in again.content.decode()


def test_an_unmatched_request_is_linked_then_granted(world, client):
    access_request = request_from(world, world.outsider, "CPI/2026/42")
    log_in(client, world.clerk)
    response = client.post(
        f"/en/backoffice/access-requests/{access_request.pk}/", {"action": "link", "reference": "SECM/2026/000001"}
    )
    assert "No case file of your units has this reference." in response.content.decode()
    client.post(
        f"/en/backoffice/access-requests/{access_request.pk}/", {"action": "link", "reference": "cpi/2026/0042"}
    )
    access_request.refresh_from_db()
    assert access_request.case_file == world.case_file


def test_revoke_a_grant(world, client):
    log_in(client, world.other_staff)
    assert client.post(f"/en/backoffice/grants/{world.lawyer_grant.pk}/revoke/", {"reason": "x"}).status_code == 404
    log_in(client, world.clerk)
    client.post(f"/en/backoffice/grants/{world.lawyer_grant.pk}/revoke/", {"reason": "Fin du mandat"})
    assert AccessGrant.objects.get(pk=world.lawyer_grant.pk).revoked_at is not None
    log_in(client, world.lawyer_user)
    assert client.get(f"/en/case-files/{world.case_file.pk}/").status_code == 404


def test_supporting_documents_are_for_the_unit_only(world, client):
    upload = SimpleUploadedFile("mandat.pdf", make_pdf("Mandat"), content_type="application/pdf")
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X", files=[upload]
    )
    document = access_request.supporting_documents.get()
    path = f"/en/backoffice/access-requests/{access_request.pk}/documents/{document.pk}"
    log_in(client, world.other_staff)
    assert client.get(path).status_code == 404
    log_in(client, world.clerk)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"
    assert AuditEvent.objects.filter(action="access.supporting_document_downloaded", actor=world.clerk).exists()


def test_the_grant_form_suggests_the_requesters_party(world, client):
    access_request = request_from(world, world.concerned_user, capacity=Capacity.CONCERNED_PERSON)
    log_in(client, world.clerk)
    page = client.get(f"/en/backoffice/access-requests/{access_request.pk}/").content.decode()
    assert f'<option value="{world.concerned.pk}" selected>' in page


@attempts()
def test_opening_a_supporting_document_is_recorded_whenever_it_is_handed_over(world, client, attempt):
    """The same rule as every download (``core.downloads.delivers_document``): byte 0 or the whole file."""
    upload = SimpleUploadedFile("mandat.pdf", make_pdf("Mandat"), content_type="application/pdf")
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X", files=[upload]
    )
    document = access_request.supporting_documents.get()
    log_in(client, world.clerk)
    delivery.attempt(client, f"/en/backoffice/access-requests/{access_request.pk}/documents/{document.pk}", attempt)
    recorded = AuditEvent.objects.filter(action="access.supporting_document_downloaded", actor=world.clerk)
    assert recorded.count() == int(attempt.recorded)
