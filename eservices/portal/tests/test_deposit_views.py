"""The citizen's deposit screens, for each role: depositor, company representative, other person, staff, anonymous."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import log_in, set_rates
from eservices.audit.models import AuditEvent
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import make_deposit, pdf_upload, xlsx_upload
from eservices.identity.models import Capacity, Representation
from eservices.identity.tests.factories import CompanyFactory, UserFactory
from eservices.units.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db
NEW = "/fr/deposits/new/"


@pytest.fixture
def deposit():
    return make_deposit(UserFactory(), CaseFileFactory())


def urls(deposit):
    return [
        f"/fr/deposits/{deposit.number}/",
        f"/fr/deposits/{deposit.number}/proof-of-deposit.pdf",
    ]


def test_anonymous_is_sent_to_login(client, deposit):
    for url in ["/fr/deposits/", NEW, *urls(deposit)]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_the_depositor_sees_the_deposit_and_downloads_the_receipt(client, deposit):
    log_in(client, deposit.depositor)
    html = client.get("/fr/deposits/").content.decode()
    assert deposit.number in html
    detail = client.get(f"/fr/deposits/{deposit.number}/").content.decode()
    assert deposit.case_file.reference in detail and "Conclusions.pdf" in detail
    response = client.get(f"/fr/deposits/{deposit.number}/proof-of-deposit.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@attempts()
def test_downloading_the_receipt_is_audited_whenever_it_is_handed_over(client, deposit, attempt):
    """The same rule as every download (``core.downloads.delivers_document``): byte 0 or the whole file."""
    log_in(client, deposit.depositor)
    delivery.attempt(client, f"/fr/deposits/{deposit.number}/proof-of-deposit.pdf", attempt)
    assert AuditEvent.objects.filter(action="deposit.receipt_downloaded").count() == int(attempt.recorded)


def test_another_person_gets_404_and_an_empty_list(client, deposit):
    log_in(client, UserFactory())
    assert deposit.number not in client.get("/fr/deposits/").content.decode()
    for url in urls(deposit):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("same_unit", [True, False])
def test_staff_do_not_see_deposits_in_the_portal(client, deposit, same_unit):
    log_in(client, StaffFactory(unit=deposit.unit if same_unit else UnitFactory()))
    for url in urls(deposit):
        assert client.get(url).status_code == 404, url


def test_guessed_numbers_are_404(client, deposit):
    log_in(client, deposit.depositor)
    assert client.get("/fr/deposits/DEP-2026-999999/").status_code == 404
    assert client.get("/fr/deposits/DEP-2026-999999/proof-of-deposit.pdf").status_code == 404


def test_a_confirmed_representative_sees_the_companys_deposit_and_an_ended_one_does_not(client):
    company = CompanyFactory()
    manager, colleague = UserFactory(), UserFactory()
    for user in (manager, colleague):
        Representation.objects.create(user=user, company=company, status=Representation.Status.CONFIRMED)
    deposit = make_deposit(manager, CaseFileFactory(), capacity=Capacity.COMPANY_REPRESENTATIVE, company=company)
    log_in(client, colleague)
    assert client.get(f"/fr/deposits/{deposit.number}/").status_code == 200
    Representation.objects.filter(user=colleague).update(status=Representation.Status.ENDED)
    assert client.get(f"/fr/deposits/{deposit.number}/").status_code == 404


def test_the_form_states_the_limits_and_loads_only_a_static_script(client):
    log_in(client, UserFactory())
    response = client.get(NEW)
    html = response.content.decode()
    assert "50 Mo" in html and "PDF, XLSX" in html
    assert f'data-max-file-bytes="{50 * 1024 * 1024}"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert "<style" not in html and " style=" not in html
    assert "script-src" in response["Content-Security-Policy"]


def test_the_form_suggests_the_persons_case_files(client):
    from eservices.access.tests.personas import grant
    from eservices.casefiles.tests.factories import PartyFactory

    person = UserFactory()
    party = PartyFactory(user=person)
    granted, other = CaseFileFactory(), CaseFileFactory()
    grant(person, granted)
    log_in(client, person)
    html = client.get(NEW).content.decode()
    # Each suggestion carries its case file's unit, which the form preselects as the addressee.
    assert f'<option value="{party.case_file.reference}" data-unit="{party.case_file.unit_id}">' in html
    assert f'<option value="{granted.reference}" data-unit="{granted.unit_id}">' in html
    assert other.reference not in html


def post_deposit(client, case_file, files, **extra):
    data = {
        "case_file_reference": extra.pop("reference", case_file.reference).lower(),
        "unit": extra.pop("unit", case_file.unit.pk),
        "capacity": Capacity.LAWYER,
        "message": "Mes conclusions",
        "idempotency_key": extra.pop("key", "k1"),
        "files": files,
    }
    return client.post(NEW, data, **extra)


def test_posting_the_form_creates_the_deposit_and_shows_it(client):
    person, case_file = UserFactory(), CaseFileFactory()
    log_in(client, person)
    response = post_deposit(client, case_file, [pdf_upload(), xlsx_upload()])
    deposit = Deposit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fr/deposits/{deposit.number}/"
    assert deposit.depositor == person and deposit.files.count() == 2
    again = post_deposit(client, case_file, [pdf_upload(), xlsx_upload()])  # the same form sent twice
    assert again["Location"] == response["Location"] and Deposit.objects.count() == 1


def test_the_form_as_json_gives_per_file_verdicts(client):
    log_in(client, UserFactory())
    bad = SimpleUploadedFile("image.pdf", b"\x89PNG not a pdf")
    response = post_deposit(client, CaseFileFactory(), [pdf_upload(), bad], HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert [v["accepted"] for v in body["verdicts"]] == [True, False]
    assert body["verdicts"][1]["reason"]
    assert Deposit.objects.count() == 0
    ok = post_deposit(client, CaseFileFactory(), [pdf_upload()], key="k2", HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["redirect"].startswith("/fr/deposits/DEP-")


def test_the_form_without_javascript_shows_verdicts_and_keeps_the_key(client):
    log_in(client, UserFactory())
    bad = SimpleUploadedFile("notes.xls", b"plain text")
    response = post_deposit(client, CaseFileFactory(), [bad])
    html = response.content.decode()
    assert response.status_code == 400 and "notes.xls" in html and "Refusé" in html
    assert 'value="k1"' in html


def test_the_form_answers_the_same_whether_the_reference_exists(client):
    """References are sequential: the answer (a deposit, its page, its proof) must not tell an outsider whether a
    case file has the reference typed (issue 11)."""
    log_in(client, UserFactory())
    case_file = CaseFileFactory()
    pages = []
    for key, reference in (("k1", case_file.reference), ("k2", case_file.reference.replace("/2026/", "/2025/"))):
        response = post_deposit(client, case_file, [pdf_upload()], key=key, reference=reference)
        assert response.status_code == 302
        deposit = Deposit.objects.get(idempotency_key=key)
        page = client.get(response["Location"]).content.decode()
        # The token, times, hashes, and the acceptance time shown only when the checks ended a second later.
        volatile = r'name="csrfmiddlewaretoken" value="\w+"|\d\d:\d\d:\d\d|[0-9a-f]{64}|<dt>Accepté après[^\n]*'
        page = re.sub(volatile, "", page)
        pages.append(page.replace(deposit.number, "N").replace(reference, "R"))
    # Blank lines aside: the "accepted after" line renders blank when the checks ended within the same second.
    assert [line for line in pages[0].splitlines() if line.strip()] == [
        line for line in pages[1].splitlines() if line.strip()
    ]
    assert [deposit.case_file for deposit in Deposit.objects.order_by("pk")] == [case_file, None]


def test_a_reference_of_another_unit_is_refused_with_the_unit_to_choose(client):
    """Addressed to unit B for unit A's case file: refused at submission, naming A, and nothing is kept."""
    log_in(client, UserFactory())
    case_file = CaseFileFactory()
    other = UnitFactory()
    response = post_deposit(client, case_file, [pdf_upload()], unit=other.pk)
    assert response.status_code == 400
    assert f"La référence {case_file.reference} appartient à {case_file.unit.name}" in response.content.decode()
    assert not Deposit.objects.exists()


def test_the_form_needs_csrf(deposit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    log_in(client, UserFactory())
    assert post_deposit(client, CaseFileFactory(), [pdf_upload()]).status_code == 403


def test_deposits_are_rate_limited_per_person(client, settings):
    set_rates(settings, "deposit", user_or_ip="1/h")
    log_in(client, UserFactory())
    case_file = CaseFileFactory()
    assert post_deposit(client, case_file, [pdf_upload()], key="a").status_code == 302
    response = post_deposit(client, case_file, [pdf_upload()], key="b", HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and Deposit.objects.count() == 1
