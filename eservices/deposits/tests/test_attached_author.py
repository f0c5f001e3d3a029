"""A deposited file that staff attach to the case file is the depositor's: shown to them under their name and
capacity, not as a "staff only" document of the Service (issue 12)."""

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import log_in
from eservices.access import abilities
from eservices.access.tests.personas import grant
from eservices.casefiles.models import Document
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits import services
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.models import Capacity
from eservices.identity.tests.factories import UserFactory
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _attached(capacity=Capacity.LAWYER):
    case_file = CaseFileFactory()
    depositor = UserFactory(first_name="Anne", last_name="Avocate")
    grant(depositor, case_file, capacity=capacity)
    other = UserFactory()
    grant(other, case_file)
    staff = StaffFactory(unit=case_file.unit)
    deposit = make_deposit(depositor, case_file, capacity=capacity)
    document = services.attach_file(actor=staff, deposit_file=deposit.files.get(position=1))
    return case_file, depositor, other, document


def test_the_attached_document_names_its_depositor_and_capacity():
    case_file, depositor, _other, document = _attached()
    document.refresh_from_db()
    assert document.deposited_by == depositor
    assert document.depositor_capacity == Capacity.LAWYER
    with translation.override("en"):
        assert document.author_label == "Anne Avocate, Lawyer or counsel of a party"


def test_its_depositor_sees_and_downloads_it_the_other_parties_do_not_until_staff_say_so():
    case_file, depositor, other, document = _attached()
    entry = next(e for e in abilities.document_index(depositor, case_file) if e.document.pk == document.pk)
    assert entry.available and not entry.withheld
    assert abilities.document_for_download(depositor, document.pk)[0] == document
    assert case_file.pk in abilities.latest_available_document_at(depositor, [case_file])
    other_entry = next(e for e in abilities.document_index(other, case_file) if e.document.pk == document.pk)
    assert not other_entry.available and other_entry.withheld == "staff_only"
    assert document.visibility == Document.Visibility.STAFF_ONLY


def test_the_case_file_page_shows_it_under_the_depositors_name(client):
    case_file, depositor, other, document = _attached()
    log_in(client, depositor)
    with translation.override("en"):
        page = client.get(reverse("portal:case_file", args=[case_file.pk]))
        download = reverse("portal:download", args=[document.pk])
    html = page.content.decode()
    assert page.status_code == 200
    row = html[html.index(document.title) :][:2000]
    assert "Anne Avocate" in row and "Withheld" not in row
    assert download in row
    log_in(client, other)
    with translation.override("en"):
        html = client.get(reverse("portal:case_file", args=[case_file.pk])).content.decode()
    row = html[html.index(document.title) :][:2000]
    assert download not in row
