"""The access flow in a real browser: a lawyer asks, the registry clerk grants, the lawyer downloads."""

import zipfile

import pytest

from eservices.access.models import AccessRequest
from eservices.access.tests.personas import build_world
from eservices.notifications.models import OutboxEmail


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_request_grant_download(browser_page, world, tmp_path):
    page = browser_page
    newcomer = world.outsider
    newcomer.email = "newcomer@example.org"
    newcomer.save()

    page.log_in(newcomer)
    page.goto("/en/case-files/")
    page.get_by_role("link", name="Ask for access to a case file").first.click()
    page.get_by_label("Reference of the case file").fill("CPI/2026/0042")
    page.get_by_label("You ask as").select_option("lawyer")
    page.get_by_label("On behalf of").fill("Dr Concerned")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/en/access-requests/")
    assert "Your request was sent" in page.content()
    access_request = AccessRequest.objects.get(requester=newcomer)

    page.log_in(world.clerk)
    page.goto("/en/backoffice/access-requests/")
    page.get_by_role("link", name=str(access_request.pk), exact=True).click()
    page.get_by_label("As party").select_option(str(world.lawyer.pk))
    page.get_by_role("button", name="Grant access").click()
    assert "Access was granted" in page.content()
    assert OutboxEmail.objects.filter(to="newcomer@example.org").exists()

    page.log_in(newcomer)
    page.goto("/en/case-files/")
    page.get_by_role("link", name="CPI/2026/0042").click()
    with page.expect_download() as single:
        page.get_by_role("link", name="Download Public report").click()
    assert single.value.suggested_filename == "Public report.pdf"
    with page.expect_download() as archive:
        page.get_by_role("link", name="Download all 2 documents as a ZIP").click()
    path = tmp_path / "all.zip"
    archive.value.save_as(path)
    assert len(zipfile.ZipFile(path).namelist()) == 3
