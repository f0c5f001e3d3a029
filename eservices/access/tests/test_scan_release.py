"""A document whose file waits for the virus scan is never served, and parties do not even see it listed."""

import pytest

from conftest import log_in
from eservices.access.abilities import document_index
from eservices.casefiles.tests.factories import add_pdf_document
from eservices.intake.models import ScanStatus, StoredFile

from .test_downloads import url


@pytest.fixture
def pending(world, settings):
    """clamd is unreachable (a closed port): the intake keeps the file as pending scan."""
    settings.CLAMD_ADDRESS = "127.0.0.1:1"
    document = add_pdf_document(world.case_file, title="Scanned later")
    assert document.stored_file.scan_status == ScanStatus.PENDING
    return document


def test_a_pending_document_is_not_served_even_to_staff(world, client, pending):
    for user in (world.concerned_user, world.clerk):
        log_in(client, user)
        assert client.get(url(pending)).status_code == 404


def test_parties_do_not_see_it_and_staff_see_it_as_being_checked(world, pending):
    assert pending not in [entry.document for entry in document_index(world.concerned_user, world.case_file)]
    staff_entry = next(entry for entry in document_index(world.clerk, world.case_file) if entry.document == pending)
    assert (staff_entry.available, staff_entry.withheld) == (False, "being_checked")


def test_once_clean_it_is_served(world, client, pending):
    # The scan's own path (process_pending_scans against a real clamd) is tested in eservices/intake; here its
    # outcome is written directly.
    StoredFile.objects.filter(pk=pending.stored_file_id).update(scan_status=ScanStatus.CLEAN)
    log_in(client, world.concerned_user)
    assert client.get(url(pending)).status_code == 200
