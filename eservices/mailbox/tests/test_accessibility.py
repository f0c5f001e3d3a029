"""The mailbox's pages, citizen and staff side, are clean for axe-core in a real browser and fit a phone."""

import datetime

import pytest

from conftest import assert_accessible
from eservices.mailbox import services

from .factories import case_with_parties, send

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def sent(transactional_db):
    case_file, clerk, person, _lawyer, document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)], documents=[document], time_limit_months=1)
    services.run_jobs(message.made_available_at + datetime.timedelta(days=20))
    return case_file, clerk, person, message


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_citizen_pages_are_accessible(browser_page, sent, language):
    _case_file, _clerk, person, message = sent
    browser_page.log_in(person)
    for path in (
        f"/{language}/mailbox/{message.mailbox_id}/",
        f"/{language}/mailbox/{message.mailbox_id}/messages/{message.pk}/",
    ):
        assert browser_page.goto(path).ok
        assert_accessible(browser_page)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_staff_pages_are_accessible(browser_page, sent, language):
    case_file, clerk, _person, message = sent
    browser_page.log_in(clerk)
    for path in (
        "backoffice/mailbox/send/",
        f"backoffice/mailbox/send/{case_file.pk}/",
        f"backoffice/mailbox/dispatches/{message.dispatch_id}/",
        f"backoffice/mailbox/messages/{message.pk}/",
        "backoffice/mailbox/sent/",
        "backoffice/mailbox/paper-fallback/",
        "backoffice/mailbox/failed-alerts/",
        "backoffice/mailbox/holidays/",
    ):
        assert browser_page.goto(f"/{language}/{path}").ok, path
        assert_accessible(browser_page)


def test_the_mailbox_fits_a_phone_screen(browser_page, sent):
    _case_file, _clerk, person, message = sent
    browser_page.set_viewport_size(PHONE)
    browser_page.log_in(person)
    browser_page.goto(f"/fr/mailbox/{message.mailbox_id}/")
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
