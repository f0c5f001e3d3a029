"""Every page, in French and Dutch, is clean for axe-core in a real browser and fits a phone's screen."""

import pytest

from conftest import assert_accessible
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

PUBLIC_PAGES = [
    "/{language}/",
    "/{language}/account/login/",
    "/{language}/account/login/staff/",
    "/{language}/verify/",
]
STAFF_PAGES = [
    "/{language}/backoffice/",
    "/{language}/backoffice/representations/",
    "/{language}/account/profile/",
    "/{language}/account/representations/new/",
    "/{language}/backoffice/deposits/",
]
PHONE = {"width": 375, "height": 740}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(browser_page, language, path):
    response = browser_page.goto(path.format(language=language))
    assert response.ok
    assert browser_page.locator("html").get_attribute("lang") == language
    assert_accessible(browser_page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_are_accessible(browser_page, language, path):
    browser_page.log_in(StaffFactory(unit__role=StaffRole.UNIT_LEAD))  # representations: unit leads and administrators
    response = browser_page.goto(path.format(language=language))
    assert response.ok
    assert_accessible(browser_page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_fit_a_phone_screen(browser_page, path):
    """No horizontal scrolling at 375 CSS pixels."""
    browser_page.set_viewport_size(PHONE)
    browser_page.goto(path.format(language="fr"))
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_no_csp_violation_in_the_browser(browser_page):
    """The browser itself reports no Content-Security-Policy violation on the pages."""
    messages = []
    browser_page.on("console", lambda message: messages.append(message.text))
    browser_page.log_in(UserFactory())
    for path in PUBLIC_PAGES:
        browser_page.goto(path.format(language="fr"))
    assert [text for text in messages if "Content Security Policy" in text] == []


@pytest.mark.django_db(transaction=True)
def test_language_switcher_works_with_the_keyboard(browser_page):
    browser_page.goto("/fr/")
    browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("document.activeElement.className") == "skip-link"
    browser_page.get_by_role("button", name="Nederlands").click()
    browser_page.wait_for_url("**/nl/")
    assert browser_page.locator("h1").inner_text() == "eServices van de DGEC"


@pytest.mark.django_db(transaction=True)
def test_the_checker_finds_a_real_violation(browser_page):
    """Guards the guard: a page with an unlabeled image and no language fails the check."""
    browser_page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(browser_page)
