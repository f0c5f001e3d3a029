"""Mes dossiers: the list, one case file, who looked at it; each role and each refusal; fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from conftest import log_in
from eservices.access.models import AccessGrant
from eservices.access.tests.personas import grant
from eservices.audit.models import AuditEvent
from eservices.casefiles.models import CaseFile, Document
from eservices.casefiles.tests.factories import add_pdf_document
from eservices.identity.models import Capacity


def test_anonymous_is_sent_to_log_in(world, client):
    for path in ("/en/case-files/", f"/en/case-files/{world.case_file.pk}/", "/en/access-requests/new/"):
        assert client.get(path).status_code == 302


def test_the_list_shows_only_granted_case_files(world, client):
    log_in(client, world.concerned_user)
    page = client.get("/en/case-files/").content.decode()
    assert "CPI/2026/0042" in page and "SECM/2026/000001" not in page
    assert "Not opened yet" in page


def test_staff_find_their_units_case_files_in_the_back_office_not_in_mes_dossiers(world, client):
    log_in(client, world.clerk)
    assert "CPI/2026/0042" not in client.get("/en/case-files/").content.decode()
    assert client.get(f"/en/case-files/{world.case_file.pk}/").status_code == 200


def test_a_grant_without_party_does_not_show_who_looked(world, client):
    grant(world.outsider, world.case_file, Capacity.AUTHORISED_THIRD_PARTY)
    log_in(client, world.outsider)
    page = client.get(f"/en/case-files/{world.case_file.pk}/").content.decode()
    assert "/consultations/" not in page
    assert client.get(f"/en/case-files/{world.case_file.pk}/consultations/").status_code == 404


def test_search_and_filters(world, client):
    grant(world.concerned_user, world.other_case_file)
    log_in(client, world.concerned_user)
    assert "SECM/2026/000001" not in client.get("/en/case-files/?q=CPI").content.decode()
    assert "CPI/2026/0042" in client.get("/en/case-files/?q=0042").content.decode()
    assert "CPI/2026/0042" not in client.get("/en/case-files/?status=closed").content.decode()
    assert "CPI/2026/0042" in client.get("/en/case-files/?kind=investigation").content.decode()


def test_what_is_new_since_the_last_visit(world, client):
    log_in(client, world.concerned_user)
    client.get(f"/en/case-files/{world.case_file.pk}/")
    assert "badge" not in client.get("/en/case-files/").content.decode().split("<tbody>")[1]
    AccessGrant.objects.filter(pk=world.concerned_grant.pk).update(
        last_visited_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    add_pdf_document(world.case_file, title="Nouvelle pièce")
    assert "New documents since your last visit" in client.get("/en/case-files/").content.decode()


# A document added since the last visit, and whether it makes the case file "new" for each reader.
NEW_FOR = {
    "for_other_parties": {"concerned_user": False, "lawyer_user": False, "representative": False},
    "for_the_concerned_person": {"concerned_user": True, "lawyer_user": True, "representative": False},
    "for_all_parties": {"concerned_user": True, "lawyer_user": True, "representative": False},  # outside its grant
}


@pytest.mark.parametrize("added", sorted(NEW_FOR))
@pytest.mark.parametrize("reader", ["concerned_user", "lawyer_user", "representative"])
def test_only_a_document_the_reader_may_open_turns_the_new_marker_on(world, client, added, reader):
    """A document reserved to other parties, or outside the reader's chosen documents, is not announced as new to
    them: the marker would tell that something they may not see was added (issue 11)."""
    AccessGrant.objects.filter(user=getattr(world, reader)).update(last_visited_at=timezone.now())
    visibility = Document.Visibility.ALL_PARTIES if added == "for_all_parties" else Document.Visibility.SOME_PARTIES
    document = add_pdf_document(world.case_file, title="Nouvelle pièce", visibility=visibility)
    if added == "for_other_parties":
        document.visible_to.set([world.concerned_company])
    elif added == "for_the_concerned_person":
        document.visible_to.set([world.concerned])
    log_in(client, getattr(world, reader))
    page = client.get("/en/case-files/").content.decode()
    assert ("New documents since your last visit" in page) is NEW_FOR[added][reader]


def test_the_case_file_page_lists_available_and_withheld_documents(world, client):
    """Sealed documents are not hidden silently: withheld, from whom, why, by whom; unless confidential."""
    log_in(client, world.concerned_user)
    page = client.get(f"/en/case-files/{world.case_file.pk}/").content.decode()
    assert f"/en/documents/{world.public.pk}/download" in page
    assert "Internal note" in page and "Withheld from all parties" in page and "Ongoing investigation" in page
    assert f"/en/documents/{world.staff_only.pk}/download" not in page
    assert "Secret annex" not in page
    assert AuditEvent.objects.filter(action="casefile.consulted", actor=world.concerned_user).exists()


@pytest.mark.parametrize("persona", ["outsider", "other_staff"])
def test_the_case_file_page_is_404_for_others(world, client, persona):
    log_in(client, getattr(world, persona))
    assert client.get(f"/en/case-files/{world.case_file.pk}/").status_code == 404
    assert client.get(f"/en/case-files/{world.case_file.pk}/consultations/").status_code == 404
    assert client.get("/en/case-files/999999/").status_code == 404


def test_who_looked_at_my_file_shows_staff_by_unit_only(world, client):
    log_in(client, world.clerk)
    client.get(f"/en/documents/{world.public.pk}/download")
    log_in(client, world.lawyer_user)
    client.get(f"/en/documents/{world.public.pk}/download")
    log_in(client, world.concerned_user)
    page = client.get(f"/en/case-files/{world.case_file.pk}/consultations/").content.decode()
    assert "Greffe CPI" in page and str(world.clerk) not in page
    assert str(world.lawyer_user) in page and "Lawyer or counsel of a party" in page
    assert "Downloaded “Public report”" in page


def test_my_case_files_with_500_case_files_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    """The list costs the same whether the person has 5 or 500 case files."""
    case_files = CaseFile.objects.bulk_create(
        CaseFile(
            unit=world.unit,
            reference=f"CPI/2025/{n:04d}",
            kind="investigation",
            subject=f"S{n}",
            language="fr",
            opened_on=datetime.date(2025, 1, 1),
        )
        for n in range(500)
    )
    AccessGrant.objects.bulk_create(
        AccessGrant(user=world.outsider, case_file=case_file, capacity=Capacity.LAWYER) for case_file in case_files
    )
    log_in(client, world.outsider)
    with django_assert_max_num_queries(12):
        response = client.get("/en/case-files/")
    assert response.status_code == 200 and "500 case files" in response.content.decode()


def test_a_case_file_with_2000_documents_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    """The case file page costs the same with 4 or 2,000 documents."""
    Document.objects.bulk_create(
        Document(
            case_file=world.case_file,
            title=f"Pièce {n}",
            kind="exhibit",
            document_date=datetime.date(2026, 1, 1),
            author_unit=world.unit,
            file=world.public.file.name,
            original_filename="p.pdf",
            media_type="application/pdf",
            size=10,
            sha256=world.public.sha256,
            visibility=Document.Visibility.SOME_PARTIES if n % 3 else Document.Visibility.ALL_PARTIES,
        )
        for n in range(2000)
    )
    log_in(client, world.lawyer_user)
    with django_assert_max_num_queries(17):  # sessions are read from the database, with or without Redis
        response = client.get(f"/en/case-files/{world.case_file.pk}/")
    assert response.status_code == 200 and "Pièce 1999" in response.content.decode()
    log_in(client, world.clerk)
    with django_assert_max_num_queries(16):
        assert client.get(f"/en/backoffice/case-files/{world.case_file.pk}/").status_code == 200


# Each reader of "who looked at this case file", with the documents whose downloads they may see named.
CONSULTATION_READERS = {
    "concerned_user": {"Public report", "Medical report"},
    "lawyer_user": {"Public report", "Medical report"},  # the lawyer acts for the concerned person
    "representative": {"Public report"},  # the company's grant covers the public report only
    "clerk": {"Public report", "Medical report", "Internal note", "Secret annex"},
}


@pytest.mark.parametrize("persona", sorted(CONSULTATION_READERS))
def test_who_looked_names_only_the_documents_the_reader_may_open(world, client, persona):
    """A clerk's download of a staff-only document (even a confidential one) is not shown to the parties."""
    log_in(client, world.clerk)
    documents = [world.public, world.for_concerned, world.staff_only, world.secret]
    for document in documents:
        assert client.get(f"/en/documents/{document.pk}/download").status_code == 200
    log_in(client, getattr(world, persona))
    page = client.get(f"/en/case-files/{world.case_file.pk}/consultations/").content.decode()
    shown = {document.title for document in documents if f"Downloaded “{document.title}”" in page}
    assert shown == CONSULTATION_READERS[persona]
