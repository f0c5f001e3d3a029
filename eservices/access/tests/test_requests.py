"""Access requests: submitted by reference, decided by the owning unit, the requester told by e-mail."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import log_in
from eservices.access import services
from eservices.access.models import RAG, AccessGrant, AccessRequest, RefusalReason
from eservices.audit.models import AuditEvent
from eservices.demo.files import make_pdf
from eservices.identity.models import Capacity
from eservices.intake.models import StoredFile
from eservices.notifications.models import OutboxEmail


def mandate(name="mandate.pdf"):
    return SimpleUploadedFile(name, make_pdf("Mandat"), content_type="application/pdf")


def submit(world, reference="CPI/2026/0042", user=None, **fields):
    return services.submit_request(
        actor=user or world.outsider, reference=reference, capacity=fields.pop("capacity", Capacity.LAWYER), **fields
    )


def test_a_matched_request_reaches_the_owning_unit(world):
    access_request = submit(world, " cpi/2026/0042 ", acting_for="Dr Concerned", files=[mandate()])
    assert access_request.case_file == world.case_file and access_request.unit == world.unit
    assert access_request.reference == "CPI/2026/0042"
    assert access_request.supporting_documents.get().stored_file.media_type == "application/pdf"
    assert access_request.decision_due_on == timezone.localdate() + datetime.timedelta(days=15)
    assert AuditEvent.objects.filter(action="access.requested", object_id=str(access_request.pk)).exists()


def test_an_unmatched_request_reaches_the_unit_its_prefix_names(world):
    access_request = submit(world, "CPI/2026/9999")
    assert access_request.case_file is None and access_request.unit == world.unit


def test_an_unknown_prefix_reaches_no_unit(world):
    assert submit(world, "XYZ/1").unit is None


def test_a_supporting_document_must_be_a_pdf_by_content(world):
    """Bad input is refused with a clear error naming the file, and leaves nothing behind: no request, no file."""
    fake = SimpleUploadedFile("mandate.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        submit(world, files=[mandate("good.pdf"), fake])
    assert any(message.startswith("mandate.pdf: ") for message in refused.value.messages)
    assert not AccessRequest.objects.exists()
    assert not StoredFile.objects.filter(policy="supporting_document").exists()


def test_a_request_that_cannot_be_recorded_withdraws_its_files(world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(AccessRequest.objects, "create", fail)
    with pytest.raises(RuntimeError):
        submit(world, files=[mandate()])
    assert not StoredFile.objects.filter(policy="supporting_document").exists()


def test_grant_creates_the_grant_and_tells_the_requester_in_their_language(world, django_capture_on_commit_callbacks):
    access_request = submit(world, user=world.concerned_user, capacity=Capacity.CONCERNED_PERSON)
    with django_capture_on_commit_callbacks(execute=True):
        access_grant = services.grant(
            actor=world.clerk,
            access_request=access_request,
            scope=AccessGrant.Scope.CHOSEN,
            documents=[world.public],
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            party=world.concerned,
        )
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.GRANTED and access_request.decided_by == world.clerk
    assert list(access_grant.documents.all()) == [world.public]
    email = OutboxEmail.objects.get(to="concerned@example.org")
    assert email.language == "nl" and "toegekend" in email.subject.lower()
    assert '<html lang="nl">' in email.body_html
    assert "CPI/2026/0042" not in email.body_text and "Public report" not in email.body_text


def test_refusal_states_the_reason_but_not_the_details_by_e_mail(world):
    access_request = submit(world)
    services.refuse(
        actor=world.clerk,
        access_request=access_request,
        reason=RefusalReason.MANDATE_MISSING,
        details="Le mandat du 3 mars ne vise pas ce dossier",
    )
    email = OutboxEmail.objects.get()
    assert "mandat" in email.body_text.lower()
    assert "3 mars" not in email.body_text and "3 mars" not in email.body_html


def test_refusal_needs_a_reason_and_other_needs_an_explanation(world):
    access_request = submit(world)
    with pytest.raises(ValidationError):
        services.refuse(actor=world.clerk, access_request=access_request, reason="")
    with pytest.raises(ValidationError):
        services.refuse(actor=world.clerk, access_request=access_request, reason=RefusalReason.OTHER, details=" ")
    access_request.refresh_from_db()
    assert access_request.is_open


def test_more_information_then_the_requester_adds_it(world):
    access_request = submit(world)
    services.ask_for_information(actor=world.clerk, access_request=access_request, question="Joignez le mandat.")
    assert access_request.state == AccessRequest.State.MORE_INFORMATION_REQUESTED
    with pytest.raises(PermissionDenied):
        services.add_information(actor=world.lawyer_user, access_request=access_request, text="Me too")
    services.add_information(actor=world.outsider, access_request=access_request, text="Voici", files=[mandate()])
    assert access_request.state == AccessRequest.State.REQUESTED and access_request.supporting_documents.count() == 1


def test_only_staff_of_the_unit_decide(world):
    access_request = submit(world)
    for actor in (world.other_staff, world.outsider, world.concerned_user):
        with pytest.raises(PermissionDenied):
            services.grant(actor=actor, access_request=access_request)
        with pytest.raises(PermissionDenied):
            services.refuse(actor=actor, access_request=access_request, reason=RefusalReason.NOT_A_PARTY)


def test_a_decided_request_cannot_be_decided_again(world):
    access_request = submit(world)
    services.refuse(actor=world.clerk, access_request=access_request, reason=RefusalReason.NOT_A_PARTY)
    with pytest.raises(ValidationError):
        services.grant(actor=world.clerk, access_request=access_request)


def test_an_unmatched_request_is_linked_before_it_is_granted(world):
    access_request = submit(world, "CPI/2026/42")
    with pytest.raises(ValidationError):
        services.grant(actor=world.clerk, access_request=access_request)
    with pytest.raises(ValidationError):
        services.link_case_file(actor=world.clerk, access_request=access_request, case_file=world.other_case_file)
    services.link_case_file(actor=world.clerk, access_request=access_request, case_file=world.case_file)
    assert services.grant(actor=world.clerk, access_request=access_request).case_file == world.case_file


def test_grant_refuses_a_past_end_date_and_foreign_documents(world):
    access_request = submit(world)
    with pytest.raises(ValidationError):
        services.grant(actor=world.clerk, access_request=access_request, valid_until=world.yesterday)
    with pytest.raises(ValidationError):
        services.grant(
            actor=world.clerk,
            access_request=access_request,
            scope=AccessGrant.Scope.CHOSEN,
            documents=[world.other_document],
        )
    assert not AccessGrant.objects.filter(request=access_request).exists()


def test_revoke_ends_access_and_only_staff_of_the_unit_revoke(world):
    with pytest.raises(PermissionDenied):
        services.revoke(actor=world.other_staff, access_grant=world.lawyer_grant, reason="x")
    services.revoke(actor=world.clerk, access_grant=world.lawyer_grant, reason="Mandat terminé")
    assert not world.lawyer_grant.is_active()
    with pytest.raises(ValidationError):
        services.revoke(actor=world.clerk, access_grant=world.lawyer_grant, reason="again")


@pytest.mark.parametrize(
    ("days_left", "rag"), [(10, RAG.GREEN), (3, RAG.GREEN), (2, RAG.ORANGE), (0, RAG.ORANGE), (-1, RAG.RED)]
)
def test_rag_status(world, days_left, rag):
    """G on time, O in the last three days, R late."""
    access_request = submit(world)
    access_request.decision_due_on = timezone.localdate() + datetime.timedelta(days=days_left)
    assert access_request.rag() == rag


def test_the_portal_answers_the_same_whether_the_reference_exists_or_not(world, client):
    """Same redirect, same message, same page: nothing tells whether a case file has this reference."""
    log_in(client, world.outsider)
    answers = []
    for reference in ("CPI/2026/0042", "CPI/2026/0043", "SECM/2026/999999"):
        response = client.post(
            "/fr/access-requests/new/",
            {"reference": reference, "capacity": Capacity.LAWYER, "acting_for": "X", "files": [mandate()]},
            follow=True,
        )
        answers.append((response.redirect_chain, response.status_code))
    assert answers[0] == answers[1] == answers[2]
    assert AccessRequest.objects.filter(requester=world.outsider).count() == 3
    page = client.get("/en/access-requests/").content.decode()
    assert "no matching case file" not in page and page.count(">Requested<") == 3


def test_the_request_form_reports_bad_input(world, client):
    log_in(client, world.outsider)
    response = client.post(
        "/en/access-requests/new/",
        {"reference": "CPI/2026/0042", "capacity": Capacity.LAWYER, "files": [io.BytesIO(b"nope")]},
    )
    assert response.status_code == 200
    assert "Say for whom you act." in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_requester_answers_a_question_on_the_portal_and_nobody_else_sees_the_request(world, client):
    access_request = submit(world)
    services.ask_for_information(actor=world.clerk, access_request=access_request, question="Mandat ?")
    log_in(client, world.lawyer_user)
    assert client.get(f"/en/access-requests/{access_request.pk}/").status_code == 404
    log_in(client, world.outsider)
    response = client.post(f"/en/access-requests/{access_request.pk}/", {"text": "Ci-joint", "files": [mandate()]})
    assert response.status_code == 302
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.REQUESTED


def test_matched_and_unmatched_requests_do_the_same_work(world):
    """The same SQL statements, in the same order, whether the reference exists or not (no timing oracle)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shapes = []
    for reference in ("CPI/2026/0042", "CPI/2026/4242"):
        with CaptureQueriesContext(connection) as queries:
            submit(world, reference)
        shapes.append([re.findall(r"^\w+|(?:FROM|INTO|UPDATE) \S+", query["sql"]) for query in queries])
    assert shapes[0] == shapes[1]
