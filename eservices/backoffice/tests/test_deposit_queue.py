"""The back office's deposit screens, for each role: staff of the unit, staff of another unit, citizens, anonymous."""

import pytest
from django.core.exceptions import PermissionDenied

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.casefiles.models import Document
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.deposits import services
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import StoredFile
from eservices.units.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit():
    return make_deposit(UserFactory(), CaseFileFactory())


def get_urls(deposit):
    return [
        f"/fr/backoffice/deposits/{deposit.number}/",
        f"/fr/backoffice/deposits/{deposit.number}/files/1/",
    ]


def post_urls(deposit):
    return [
        f"/fr/backoffice/deposits/{deposit.number}/files/1/attach/",
        f"/fr/backoffice/deposits/{deposit.number}/acknowledge/",
    ]


def test_anonymous_is_sent_to_login(client, deposit):
    for url in ["/fr/backoffice/deposits/", *get_urls(deposit)]:
        assert client.get(url).status_code == 302
    for url in post_urls(deposit):
        assert client.post(url).status_code == 302


def test_citizens_and_the_depositor_are_refused(client, deposit):
    for user in (deposit.depositor, UserFactory()):
        log_in(client, user)
        assert client.get("/fr/backoffice/deposits/").status_code == 403
        for url in get_urls(deposit):
            assert client.get(url).status_code == 403
        for url in post_urls(deposit):
            assert client.post(url).status_code == 403


def test_staff_of_another_unit_get_404_and_an_empty_queue(client, deposit):
    log_in(client, StaffFactory(unit=UnitFactory()))
    assert deposit.number not in client.get("/fr/backoffice/deposits/").content.decode()
    for url in get_urls(deposit):
        assert client.get(url).status_code == 404
    for url in post_urls(deposit):
        assert client.post(url).status_code == 404
    assert Deposit.objects.get().state == Deposit.State.RECEIVED


def test_staff_of_the_unit_triage_the_deposit(client, deposit):
    staff = StaffFactory(unit=deposit.unit)
    log_in(client, staff)
    queue = client.get("/fr/backoffice/deposits/").content.decode()
    assert deposit.number in queue and "rag-G" in queue
    assert client.get(f"/fr/backoffice/deposits/{deposit.number}/").status_code == 200
    assert client.get("/fr/backoffice/deposits/DEP-2026-999999/").status_code == 404
    assert client.get(f"/fr/backoffice/deposits/{deposit.number}/files/9/").status_code == 404
    response = client.get(f"/fr/backoffice/deposits/{deposit.number}/files/1/")
    assert response.status_code == 200
    with deposit.files.get(position=1).stored_file.open() as handle:
        assert b"".join(response.streaming_content) == handle.read()
    deposit.refresh_from_db()
    assert deposit.state == Deposit.State.OPENED and deposit.opened_by == staff
    response = client.post(f"/fr/backoffice/deposits/{deposit.number}/files/1/attach/", {"kind": "exhibit"})
    assert response.status_code == 302
    document = Document.objects.get(case_file=deposit.case_file)
    assert document.sha256 == deposit.files.get(position=1).sha256 and document.kind == "exhibit"
    assert client.get(f"/fr/backoffice/deposits/{deposit.number}/files/1/attach/").status_code == 405
    client.post(f"/fr/backoffice/deposits/{deposit.number}/acknowledge/")
    deposit.refresh_from_db()
    assert deposit.state == Deposit.State.ACKNOWLEDGED
    assert deposit.number not in client.get("/fr/backoffice/deposits/").content.decode()
    assert deposit.number in client.get("/fr/backoffice/deposits/?show=all").content.decode()
    # the depositor sees the state
    log_in(client, deposit.depositor)
    assert "Acknowledged" in client.get(f"/en/deposits/{deposit.number}/").content.decode()


def test_the_queue_filters_by_unit(client):
    secm, cpi = UnitFactory(code="SECM"), UnitFactory(code="CPI")
    one = make_deposit(UserFactory(), CaseFileFactory(unit=secm))
    two = make_deposit(UserFactory(), CaseFileFactory(unit=cpi))
    staff = StaffFactory(unit=secm)
    from eservices.units.models import StaffMembership

    StaffMembership.objects.create(user=staff, unit=cpi, role="registry_clerk")
    log_in(client, staff)
    html = client.get("/fr/backoffice/deposits/?unit=CPI").content.decode()
    assert two.number in html and one.number not in html


def test_a_file_waiting_for_the_virus_scan_cannot_be_opened_or_attached(client, deposit):
    from eservices.intake.models import ScanStatus

    item = deposit.files.get(position=1)
    item.stored_file.scan_status = ScanStatus.PENDING
    item.stored_file.save(update_fields=["scan_status"])
    log_in(client, StaffFactory(unit=deposit.unit))
    assert client.get(f"/fr/backoffice/deposits/{deposit.number}/files/1/").status_code == 404
    client.post(f"/fr/backoffice/deposits/{deposit.number}/files/1/attach/")
    assert not Document.objects.filter(case_file=deposit.case_file).exists()
    deposit.refresh_from_db()
    assert deposit.state == Deposit.State.RECEIVED


def test_staff_of_the_addressee_cannot_attach_to_another_units_case_file(client, deposit):
    """A deposit addressed to unit B for unit A's case file (as could be made before issue 11): B's staff see it,
    but attaching its file to A's case file is refused by the service, and nothing changes."""
    addressee = UnitFactory()
    Deposit.objects.filter(pk=deposit.pk).update(unit=addressee)
    staff = StaffFactory(unit=addressee)
    log_in(client, staff)
    before = AuditEvent.objects.count()
    response = client.post(f"/fr/backoffice/deposits/{deposit.number}/files/1/attach/", {"kind": "exhibit"})
    assert response.status_code == 403
    assert not Document.objects.exists() and AuditEvent.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.attach_file(actor=staff, deposit_file=deposit.files.get(position=1))


def test_a_deposit_without_a_case_file_of_the_unit_cannot_be_attached(client):
    case_file = CaseFileFactory()
    deposit = make_deposit(UserFactory(), case_file, reference=f"{case_file.unit.code}/1999/000001")
    assert deposit.case_file is None and deposit.reference == f"{case_file.unit.code}/1999/000001".upper()
    log_in(client, StaffFactory(unit=case_file.unit))
    page = client.get(f"/en/backoffice/deposits/{deposit.number}/").content.decode()
    assert "No case file of the addressee unit has this reference." in page
    response = client.post(f"/en/backoffice/deposits/{deposit.number}/files/1/attach/", follow=True)
    assert "No case file of the addressee unit has this reference." in response.content.decode()
    assert not Document.objects.exists()


@attempts()
def test_a_deposited_file_is_opened_whenever_it_is_handed_over(client, deposit, attempt):
    """Only an answer that hands the file over (byte 0 or all of it, ``core.downloads.delivers_document``) opens the
    deposit and is audited; a HEAD or a continuation does not."""
    log_in(client, StaffFactory(unit=deposit.unit))
    delivery.attempt(client, f"/fr/backoffice/deposits/{deposit.number}/files/1/", attempt)
    deposit.refresh_from_db()
    assert (deposit.state == Deposit.State.OPENED) is attempt.recorded
    assert AuditEvent.objects.filter(action="deposit.opened").count() == int(attempt.recorded)


@pytest.mark.parametrize(
    ("status", "shown"),
    [("pending", "Waiting for the virus scan: not available yet."), ("infected", "Blocked by the antivirus")],
)
def test_staff_see_a_file_the_antivirus_has_not_released_as_such(client, deposit, status, shown):
    """No link that would answer 404 and no "add to the case file" button while the antivirus holds the file."""
    StoredFile.objects.filter(deposit_file__deposit=deposit).update(scan_status=status)
    log_in(client, StaffFactory(unit=deposit.unit))
    html = client.get(f"/en/backoffice/deposits/{deposit.number}/").content.decode()
    assert html.count(shown) == 2
    assert f"/backoffice/deposits/{deposit.number}/files/" not in html
    assert "Add to the case file" not in html


def test_staff_see_a_released_file_as_a_link_they_can_add(client, deposit):
    log_in(client, StaffFactory(unit=deposit.unit))
    html = client.get(f"/en/backoffice/deposits/{deposit.number}/").content.decode()
    assert f"/backoffice/deposits/{deposit.number}/files/1/attach/" in html and "Waiting for the virus scan" not in html


def test_the_queue_says_the_rag_letter_in_words(client, deposit):
    """Issue 12: a screen reader hears "G – On time", not a lone letter."""
    log_in(client, StaffFactory(unit=deposit.unit))
    html = client.get("/en/backoffice/deposits/").content.decode()
    assert f'{deposit.rag()}<span class="visually-hidden"> – {deposit.rag().label}</span>' in html
