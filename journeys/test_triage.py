"""A registry triages a deposit: the clerk logs in through the provider, opens the new deposit, adds its files to
the case file and acknowledges it; the lawyer who deposited then finds the file in the case file under their own
name and capacity, and can download it. And a deposit with a refused file: nothing is sent, the person is told
first."""

import re

from eservices.demo.files import make_pdf
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import make_deposit, pdf_upload
from eservices.identity.models import Capacity


def test_a_clerk_triages_a_deposit_and_the_depositor_sees_it_under_their_name(journey):
    page, world = journey.page, journey.world
    world.lawyer_user.first_name, world.lawyer_user.last_name = "Camille", "Rousseau"  # as the provider names her
    world.lawyer_user.save()
    deposit = make_deposit(
        world.lawyer_user, world.case_file, files=[pdf_upload("Conclusions-de-synthese.pdf")], capacity=Capacity.LAWYER
    )

    journey.log_in("clerk", staff=True)
    page.goto("/fr/backoffice/deposits/")
    journey.check()
    page.get_by_role("link", name=deposit.number).click()
    page.wait_for_url(f"**/fr/backoffice/deposits/{deposit.number}/")
    journey.check()
    page.locator(f"form[action$='/deposits/{deposit.number}/files/1/attach/'] button").click()
    assert "ajouté" in page.locator(".messages[role=status]").inner_text()
    assert deposit.files.get().document is not None
    page.get_by_role("button", name="Confirmer la réception du dépôt").click()
    deposit.refresh_from_db()
    assert deposit.state == Deposit.State.ACKNOWLEDGED
    # The case file shows the document as the lawyer's, not as one of the Service's.
    page.goto(f"/fr/backoffice/case-files/{world.case_file.pk}/")
    row = page.locator("tr", has_text="Conclusions-de-synthese.pdf")
    assert "Déposé par" in row.inner_text() and "Rousseau" in row.inner_text()
    journey.check()
    journey.log_out()

    journey.log_in("lawyer")
    page.goto(f"/fr/case-files/{world.case_file.pk}/")
    row = page.locator("tr", has_text="Conclusions-de-synthese.pdf")
    text = row.inner_text()
    assert "Rousseau" in text and "Avocat" in text and "Retenu" not in text, text
    journey.check()
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("Télécharger")).click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_refused_file_sends_nothing_and_says_so_first(journey):
    page, world = journey.page, journey.world
    journey.log_in("lawyer")
    page.goto(f"/fr/deposits/new/?case_file={world.case_file.reference}")
    page.select_option("#id_capacity", "lawyer")
    page.fill("#id_message", "Mes conclusions.")
    good = {"name": "Conclusions.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Conclusions", ["Page 1"])}
    fake = {"name": "faux.pdf", "mimeType": "application/pdf", "buffer": b"not really a pdf"}
    page.set_input_files("#id_files", [good, fake])
    page.click("#deposit-submit")
    page.wait_for_selector("#file-list li.file-item--refused")
    assert page.locator("#form-errors p").first.inner_text().startswith("Rien n'a été envoyé")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    items = page.locator("#file-list li")
    assert "Accepté" not in items.nth(0).inner_text() and "Refusé" in items.nth(1).inner_text()
    assert Deposit.objects.count() == 0
    journey.check()
