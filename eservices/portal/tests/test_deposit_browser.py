"""The deposit form in a real browser (Debian's Chromium): limits checked before sending, a progress bar and a
verdict per file, no CSP violation, accessible; and the screens that follow."""

import pytest

from conftest import assert_accessible
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.demo.files import make_pdf, make_xlsx
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.tests.factories import UserFactory
from eservices.units.tests.factories import StaffFactory

PHONE = {"width": 375, "height": 740}


def pdf(name="Conclusions.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf("Conclusions", ["Page 1"])}


def xlsx(name="Tableau.xlsx"):
    return {"name": name, "mimeType": "application/octet-stream", "buffer": make_xlsx("T", [("a", 1)])}


@pytest.mark.django_db(transaction=True)
def test_a_person_deposits_two_files_and_gets_the_receipt(browser_page):
    case_file = CaseFileFactory()
    person = UserFactory()
    messages = []
    browser_page.on("console", lambda message: messages.append(message.text))
    browser_page.log_in(person)
    browser_page.goto("/fr/deposits/new/")
    assert_accessible(browser_page)
    browser_page.fill("#id_case_file_reference", case_file.reference)
    browser_page.select_option("#id_unit", str(case_file.unit.pk))
    browser_page.select_option("#id_capacity", "lawyer")
    browser_page.fill("#id_message", "Mes conclusions, avec un tableau.")
    browser_page.set_input_files("#id_files", [pdf(), xlsx()])
    assert browser_page.locator("#file-list progress").count() == 2
    browser_page.click("#deposit-submit")
    browser_page.wait_for_url("**/fr/deposits/DEP-*/")
    deposit = Deposit.objects.get()
    assert deposit.depositor == person and deposit.files.count() == 2
    assert browser_page.locator("h1").inner_text().endswith(deposit.number)
    assert_accessible(browser_page)
    with browser_page.expect_download() as download:
        browser_page.click("text=Télécharger la preuve de dépôt (PDF)")
    assert download.value.suggested_filename == f"proof-of-deposit-{deposit.number}.pdf"
    browser_page.goto("/fr/deposits/")
    assert deposit.number in browser_page.content()
    assert_accessible(browser_page)
    assert [text for text in messages if "Content Security Policy" in text] == []


@pytest.mark.django_db(transaction=True)
def test_the_browser_refuses_a_wrong_file_before_sending(browser_page):
    browser_page.log_in(UserFactory())
    browser_page.goto("/fr/deposits/new/")
    browser_page.fill("#id_case_file_reference", CaseFileFactory().reference)
    browser_page.set_input_files(
        "#id_files", [pdf(), {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG"}]
    )
    assert "Refusé" in browser_page.locator("#file-list li").nth(1).inner_text()
    browser_page.click("#deposit-submit")
    browser_page.wait_for_timeout(300)
    assert Deposit.objects.count() == 0
    assert browser_page.url.endswith("/fr/deposits/new/")


@pytest.mark.django_db(transaction=True)
def test_the_server_verdict_per_file_is_shown(browser_page):
    case_file = CaseFileFactory()
    browser_page.log_in(UserFactory())
    browser_page.goto("/fr/deposits/new/")
    browser_page.fill("#id_case_file_reference", case_file.reference)
    fake = {"name": "faux.pdf", "mimeType": "application/pdf", "buffer": b"not really a pdf"}
    browser_page.set_input_files("#id_files", [pdf(), fake])
    browser_page.click("#deposit-submit")
    browser_page.wait_for_selector("#file-list li.file-item--refused")
    items = browser_page.locator("#file-list li")
    # Nothing was sent: said first, where the focus goes; the good file is not "accepted"; the files stay chosen.
    assert browser_page.locator("#form-errors p").first.inner_text().startswith("Rien n'a été envoyé")
    assert browser_page.evaluate("document.activeElement.id") == "form-errors"
    assert "Accepté" not in items.nth(0).inner_text() and "pas envoyé" in items.nth(0).inner_text()
    assert "Refusé" in items.nth(1).inner_text()
    assert browser_page.evaluate("document.getElementById('id_files').files.length") == 2
    assert Deposit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_deposit_pages_are_accessible_and_fit_a_phone(browser_page, language):
    deposit = make_deposit(UserFactory(), CaseFileFactory())
    browser_page.log_in(deposit.depositor)
    browser_page.set_viewport_size(PHONE)
    for path in (f"/{language}/deposits/new/", f"/{language}/deposits/", f"/{language}/deposits/{deposit.number}/"):
        assert browser_page.goto(path).ok
        assert_accessible(browser_page)


@pytest.mark.django_db(transaction=True)
def test_the_staff_deposit_page_is_accessible(browser_page):
    deposit = make_deposit(UserFactory(), CaseFileFactory())
    browser_page.log_in(StaffFactory(unit=deposit.unit))
    assert browser_page.goto(f"/fr/backoffice/deposits/{deposit.number}/").ok
    assert_accessible(browser_page)
