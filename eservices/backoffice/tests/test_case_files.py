"""Back office: case files, parties, documents and their visibility, history; staff of other units get 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.demo.files import make_pdf
from eservices.identity import nrn


def test_citizens_do_not_reach_the_back_office(world, client):
    log_in(client, world.concerned_user)
    assert client.get("/en/backoffice/case-files/").status_code == 403
    assert client.get(f"/en/backoffice/case-files/{world.case_file.pk}/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/en/backoffice/case-files/{case_file}/",
        "/en/backoffice/case-files/{case_file}/edit/",
        "/en/backoffice/case-files/{case_file}/history/",
        "/en/backoffice/documents/{document}/visibility/",
        "/en/backoffice/documents/{document}/download",
    ],
)
def test_staff_of_another_unit_get_404(world, client, path):
    log_in(client, world.other_staff)
    assert client.get(path.format(case_file=world.case_file.pk, document=world.public.pk)).status_code == 404
    response = client.post(f"/en/backoffice/case-files/{world.case_file.pk}/parties/", {"role": "lawyer"})
    assert response.status_code == 404


def test_staff_open_and_edit_a_case_file(world, client):
    log_in(client, world.clerk)
    response = client.post(
        "/en/backoffice/case-files/new/",
        {
            "unit": world.unit.pk,
            "reference": "CPI/2026/0100",
            "kind": "first_instance",
            "subject": "Recours",
            "language": "fr",
            "status": "open",
            "opened_on": "2026-05-04",
        },
    )
    case_file = CaseFile.objects.get(reference="CPI/2026/0100")
    assert response.status_code == 302
    response = client.post(
        f"/en/backoffice/case-files/{case_file.pk}/edit/",
        {
            "kind": "first_instance",
            "subject": "Recours",
            "language": "fr",
            "status": "decided",
            "opened_on": "2026-05-04",
            "hearing_on": "2026-06-01",
            "decided_on": "2026-06-15",
        },
    )
    assert response.status_code == 302
    case_file.refresh_from_db()
    assert case_file.status == "decided" and case_file.hearing_on == datetime.date(2026, 6, 1)
    assert AuditEvent.objects.get(action="casefile.updated").details["fields"] == ["status", "hearing_on", "decided_on"]


def test_a_reference_must_name_the_unit_and_a_unit_must_be_mine(world, client):
    log_in(client, world.clerk)
    data = {
        "unit": world.unit.pk,
        "reference": "SECM/2026/1",
        "kind": "first_instance",
        "subject": "x",
        "language": "fr",
        "status": "open",
        "opened_on": "2026-05-04",
    }
    assert "must start with the unit" in client.post("/en/backoffice/case-files/new/", data).content.decode()
    data.update(unit=world.other_unit.pk, reference="SECM/2026/1")
    assert client.post("/en/backoffice/case-files/new/", data).status_code == 200
    assert not CaseFile.objects.filter(reference="SECM/2026/1").exists()


def test_add_a_party_keeps_only_the_hash_of_the_national_number(world, client):
    log_in(client, world.clerk)
    response = client.post(
        f"/en/backoffice/case-files/{world.case_file.pk}/parties/",
        {"role": "authorised_third_party", "display_name": "Curateur", "national_number": "85.07.30-033.28"},
    )
    assert response.status_code == 302
    party = Party.objects.get(display_name="Curateur")
    assert party.nrn_hash == nrn.lookup_hash("85073003328")
    bad = client.post(
        f"/en/backoffice/case-files/{world.case_file.pk}/parties/",
        {"role": "lawyer", "display_name": "X", "national_number": "12345678901"},
    )
    assert "not a valid national register number" in bad.content.decode()


def test_add_a_document_and_set_its_visibility(world, client):
    log_in(client, world.clerk)
    upload = SimpleUploadedFile("pv.pdf", make_pdf("PV"), content_type="application/pdf")
    response = client.post(
        f"/en/backoffice/case-files/{world.case_file.pk}/documents/",
        {
            "title": "PV d'audition",
            "kind": "report",
            "document_date": "2026-04-01",
            "file": upload,
            "visibility": "all_parties",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="PV d'audition")
    response = client.post(
        f"/en/backoffice/documents/{document.pk}/visibility/",
        {"visibility": "some_parties", "visible_to": [world.concerned.pk], "withheld_reason": "Secret médical"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert list(document.visible_to.all()) == [world.concerned] and document.withheld_reason == "Secret médical"
    empty = client.post(f"/en/backoffice/documents/{document.pk}/visibility/", {"visibility": "some_parties"})
    assert "Choose the parties who may see it." in empty.content.decode()


def test_history_comes_from_the_audit_trail(world, client):
    log_in(client, world.clerk)
    client.get(f"/en/backoffice/documents/{world.public.pk}/download")
    page = client.get(f"/en/backoffice/case-files/{world.case_file.pk}/history/").content.decode()
    assert "Document added" in page and "Document downloaded" in page and "Party added" in page


def test_a_case_file_opened_by_mistake_can_be_deleted_but_not_one_in_use(world, client):
    empty = CaseFile.objects.create(
        unit=world.unit,
        reference="CPI/2026/0999",
        kind="first_instance",
        subject="x",
        language="fr",
        opened_on=datetime.date(2026, 1, 1),
    )
    log_in(client, world.other_staff)
    assert client.post(f"/en/backoffice/case-files/{empty.pk}/delete/").status_code == 404
    log_in(client, world.clerk)
    response = client.post(f"/en/backoffice/case-files/{world.case_file.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert client.post(f"/en/backoffice/case-files/{empty.pk}/delete/").status_code == 302
    assert not CaseFile.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(action="casefile.deleted", object_id=str(empty.pk)).exists()


def test_the_queue_filters_by_unit(world, client):
    from eservices.access import services
    from eservices.units.models import StaffMembership

    StaffMembership.objects.create(user=world.clerk, unit=world.other_unit, role="agent")
    services.submit_request(actor=world.outsider, reference="SECM/2026/000001", capacity="lawyer", acting_for="X")
    log_in(client, world.clerk)
    assert "SECM/2026/000001" in client.get("/en/backoffice/access-requests/").content.decode()
    assert "SECM/2026/000001" not in client.get("/en/backoffice/access-requests/?unit=CPI").content.decode()
