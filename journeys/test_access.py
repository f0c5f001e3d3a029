"""Asking for access to a case file, from the request to the download, as the people involved do it."""

import re

from eservices.access.models import AccessRequest
from eservices.notifications.models import OutboxEmail


def test_request_access_decision_email_consult_and_download(journey, tmp_path):
    page, world = journey.page, journey.world
    journey.log_in("outsider")
    page.goto("/fr/access-requests/new/")
    journey.check("access-request")

    # A reference no unit could match is refused with what to write, and nothing waits in no queue.
    page.get_by_label("Référence du dossier").fill("blabla")
    page.get_by_label("Vous demandez en qualité de").select_option("lawyer")
    page.get_by_label("Pour le compte de").fill("Dr Concerned")
    page.get_by_role("button", name="Envoyer la demande").click()
    assert page.title().startswith("Erreur")
    summary = page.locator(".error-summary")
    assert "CPI/2026/0042" in summary.inner_text()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert not AccessRequest.objects.exists()
    journey.check()

    page.get_by_label("Référence du dossier").fill("cpi/2026/0042")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/fr/access-requests/")
    access_request = AccessRequest.objects.get(requester=world.outsider)
    assert access_request.unit == world.unit
    journey.check()
    journey.log_out()

    journey.log_in("clerk", staff=True)
    page.goto("/fr/backoffice/access-requests/")
    journey.check("backoffice-access-requests")
    page.goto(f"/fr/backoffice/access-requests/{access_request.pk}/")
    journey.check()
    page.get_by_label("En tant que partie").select_option(str(world.lawyer.pk))
    page.get_by_role("button", name="Accorder l'accès").click()
    assert "L'accès a été accordé" in page.locator(".messages[role=status]").inner_text()
    journey.log_out()

    # The e-mail names no case file (an e-mail is no safe channel); its link leads to the decision.
    assert "CPI/2026/0042" not in OutboxEmail.objects.get(to=world.outsider.email).body_text
    page.goto(journey.email_link(world.outsider.email))
    journey.log_in("outsider", here=True)
    assert page.url.endswith(f"/fr/access-requests/{access_request.pk}/")
    page.goto("/fr/case-files/")
    journey.check("case-files")
    page.get_by_role("link", name="CPI/2026/0042").click()
    journey.check("case-file")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Public report")).first.click()
    assert download.value.suggested_filename == "Public report.pdf"
