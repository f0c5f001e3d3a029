"""Mes dossiers and the back office's case-file and access-request pages: clean for axe-core, phone-sized."""

import pytest

from conftest import assert_accessible
from eservices.access import services
from eservices.access.tests.personas import build_world
from eservices.identity.models import Capacity

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def pages(transactional_db):
    world = build_world()
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="Dr Concerned"
    )
    citizen = [
        "/{language}/case-files/",
        f"/{{language}}/case-files/{world.case_file.pk}/",
        f"/{{language}}/case-files/{world.case_file.pk}/consultations/",
        "/{language}/access-requests/",
        "/{language}/access-requests/new/",
    ]
    staff = [
        "/{language}/backoffice/case-files/",
        "/{language}/backoffice/case-files/new/",
        f"/{{language}}/backoffice/case-files/{world.case_file.pk}/",
        f"/{{language}}/backoffice/case-files/{world.case_file.pk}/history/",
        f"/{{language}}/backoffice/documents/{world.for_concerned.pk}/visibility/",
        "/{language}/backoffice/access-requests/",
        f"/{{language}}/backoffice/access-requests/{access_request.pk}/",
    ]
    return world, citizen, staff


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_case_file_pages_are_accessible_and_fit_a_phone(browser_page, pages, language):
    world, citizen, staff = pages
    browser_page.set_viewport_size(PHONE)
    for user, paths in ((world.lawyer_user, citizen), (world.clerk, staff)):
        browser_page.log_in(user)
        for path in paths:
            response = browser_page.goto(path.format(language=language))
            assert response.ok, path
            assert_accessible(browser_page)
            width = browser_page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
