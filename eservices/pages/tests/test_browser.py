"""The guide, the statements, the contact page and the notices in a real browser: clean for axe-core in French
and Dutch, at a desktop width and at 360 px; and every demo persona reaches the guide in two clicks."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import assert_accessible, log_in
from eservices.demo import data as demo
from eservices.identity.tests.factories import UserFactory
from eservices.pages import services
from eservices.pages.models import Notice
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

PUBLIC_PAGES = [
    "/{language}/",
    "/{language}/guide/",
    "/{language}/guide/log-in/",
    "/{language}/guide/deposit/",
    "/{language}/guide/staff-access-requests/",
    "/{language}/about/accessibility/",
    "/{language}/about/privacy/",
    "/{language}/about/legal-notice/",
    "/{language}/about/cookies/",
    "/{language}/contact/",
]
ADMINISTRATOR_PAGES = ["/{language}/backoffice/notices/", "/{language}/backoffice/contacts/"]
PHONE = {"width": 360, "height": 740}
GUIDE_TITLE = {"fr": "Guide de l'utilisateur", "nl": "Gebruikersgids"}
HELP = {"fr": "Aide", "nl": "Hulp"}


@pytest.fixture
def administrator(db):
    """A functional administrator; the SECM has contact details and an outage notice is on the home page."""
    unit = UnitFactory(code="SECM", email="secm@example.org")
    user = StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)
    services.update_contact(
        actor=user,
        unit=unit,
        data={"phone": "02 739 71 11", "address": "Avenue Galilée 5/01\n1210 Bruxelles", "hours_nl": "Werkdagen"},
    )
    services.publish_notice(
        actor=user, kind=Notice.Kind.OUTAGE, texts={"fr": "Panne jusqu'à 14 h.", "nl": "Storing tot 14 uur."}
    )
    return user


def check(page, path):
    response = page.goto(path)
    assert response.ok, path
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_public_pages_are_accessible_and_fit_360_px(browser_page, administrator, language):
    for path in PUBLIC_PAGES:
        check(browser_page, path.format(language=language))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_administrator_pages_are_accessible_and_fit_360_px(browser_page, administrator, language):
    browser_page.log_in(administrator)
    for path in ADMINISTRATOR_PAGES:
        check(browser_page, path.format(language=language))
    check(browser_page, f"/{language}/backoffice/contacts/{administrator.memberships.get().unit_id}/")


def demo_personas():
    """Every demo identity with its landing page after login (staff: the back office)."""
    units = {}
    for code, *_names in demo.UNITS:
        units[code] = UnitFactory(code=code)
    personas = [
        (StaffFactory(username=username, unit=units[unit], unit__role=role), "/{language}/backoffice/")
        for username, _first, _last, _language, unit, role in demo.STAFF
    ]
    personas += [(UserFactory(username=row[0]), "/{language}/") for row in demo.CITIZENS + demo.NEWCOMERS]
    return personas


def use_session_of(page, live_server, user):
    """The page's browser now holds ``user``'s session, and nothing of the persona before."""
    client = Client()
    log_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_demo_persona_reaches_the_guide_in_two_clicks(browser_page, live_server, language):
    """From the page the login lands on: one click on "Help" in the header, one on a task of the guide."""
    page = browser_page
    for user, landing in demo_personas():
        use_session_of(page, live_server, user)
        page.goto(landing.format(language=language))
        page.get_by_role("navigation", name={"fr": "Menu principal", "nl": "Hoofdmenu"}[language]).get_by_role(
            "link", name=HELP[language], exact=True
        ).click()
        page.wait_for_url(f"**/{language}/guide/")
        assert page.locator("h1").inner_text() == GUIDE_TITLE[language], user.username
        page.locator(".guide-toc a").first.click()
        page.wait_for_url(f"**/{language}/guide/log-in/")
        assert page.locator("article.guide h1").is_visible(), user.username
