"""A registry notifies a lawyer with a time limit; the lawyer opens it, answers with a deposit of two files, gets
the signed proof, which anyone can verify (and a changed copy fails); the registry sees the evidence."""

import re

from eservices.demo.files import make_pdf, make_xlsx
from eservices.deposits.models import Deposit
from eservices.mailbox.models import Message

from .helpers import DESKTOP, PHONE


def files():
    return [
        {"name": "Conclusions.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Conclusions", ["Page 1"])},
        {"name": "Tableau.xlsx", "mimeType": "application/octet-stream", "buffer": make_xlsx("T", [("a", 1)])},
    ]


def test_notify_open_respond_with_a_deposit_verify_the_proof(journey, tmp_path):
    page, world = journey.page, journey.world
    journey.log_in("clerk", staff=True)
    journey.check("backoffice-home")
    page.goto(f"/fr/backoffice/mailbox/send/{world.case_file.pk}/")
    page.get_by_label("Me Lawyer").check()
    page.select_option("#id_kind", "notification")
    page.fill("#id_subject", "Convocation à l'audience")
    page.fill("#id_text", "Vous pouvez déposer vos conclusions.")
    page.fill("#id_time_limit_days", "15")
    page.locator("main button[type=submit]").click()
    page.locator("main form button[type=submit]").first.click()
    # The flash message, not the list of sent messages.
    assert "1" in page.locator(".messages[role=status]").inner_text()
    message = Message.objects.get()
    journey.log_out()

    page.goto(journey.email_link(world.lawyer_user.email))
    journey.log_in("lawyer", here=True)
    page.goto(f"/fr/mailbox/{message.mailbox_id}/")
    journey.check("mailbox")
    # At 360 px the rows stack: the deadline is on screen, not in a column scrolled out of sight.
    page.set_viewport_size(PHONE)
    deadline = page.locator("td[data-label]").last.bounding_box()
    assert deadline["x"] + deadline["width"] <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Convocation à l'audience").click()
    journey.check("message")
    page.get_by_role("link", name=re.compile("faire un dépôt dans ce dossier")).click()
    # The case file and its unit, the addressee, come with the link.
    assert page.input_value("#id_case_file_reference") == world.case_file.reference
    assert page.input_value("#id_unit") == str(world.unit.pk)
    page.select_option("#id_capacity", "lawyer")
    page.fill("#id_message", "Mes conclusions, avec un tableau.")
    page.set_input_files("#id_files", files())
    assert page.locator("#file-list progress").count() == 2
    journey.check("deposit")
    page.click("#deposit-submit")
    page.wait_for_url("**/fr/deposits/DEP-*/")
    deposit = Deposit.objects.get()
    assert (deposit.unit, deposit.files.count()) == (world.unit, 2)
    journey.check("deposit-proof")
    with page.expect_download() as download:
        page.click("text=Télécharger la preuve de dépôt (PDF)")
    proof = tmp_path / "proof.pdf"
    download.value.save_as(proof)
    journey.log_out()

    # Anyone can verify the proof; a copy changed by one bit fails.
    page.goto("/fr/verify/")
    page.set_input_files("#id_receipt", str(proof))
    page.get_by_role("button", name="Vérifier").click()
    assert deposit.number in page.locator(".verify-result").inner_text()
    assert "rag-G" in page.locator("#result-title").get_attribute("class")
    journey.check("verify")
    changed = bytearray(proof.read_bytes())
    changed[len(changed) // 4] ^= 1
    page.set_input_files("#id_receipt", {"name": "proof.pdf", "mimeType": "application/pdf", "buffer": bytes(changed)})
    page.get_by_role("button", name="Vérifier").click()
    assert "rag-R" in page.locator("#result-title").get_attribute("class")
    journey.check()

    # The registry sees that the notification was opened, and the deposit in its queue.
    journey.log_in("clerk", staff=True)
    page.goto(f"/fr/backoffice/mailbox/messages/{message.pk}/")
    world.lawyer_user.refresh_from_db()
    assert world.lawyer_user.get_full_name() in page.locator("main").inner_text()
    journey.check()
    page.goto("/fr/backoffice/deposits/")
    assert deposit.number in page.locator("main").inner_text()
    journey.check("backoffice-deposits")
    page.goto(f"/fr/backoffice/deposits/{deposit.number}/")
    journey.check()
