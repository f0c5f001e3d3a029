"""The statements cite the figures the project measures and the settings in force, never a copy of them."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from conftest import log_in
from eservices.identity.tests.factories import UserFactory
from eservices.pages import content

ROOT = Path(django_settings.BASE_DIR)


def statement(client, language, slug):
    response = client.get(f"/{language}/about/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", content.LANGUAGES)
def test_the_privacy_notice_cites_the_retention_periods_and_the_dpo_in_force(settings, client, language):
    settings.RETENTION = {"documents": 4321, "personal_data": 1234}
    settings.SESSION_IDLE_SECONDS = 17 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 9 * 3600
    settings.DPO_EMAIL = "dpo-test@example.org"
    html = statement(client, language, "privacy")
    for figure in ("4321", "1234", "17", "9", "dpo-test@example.org"):
        assert figure in html, figure
    # "My data" serves the right of access: the notice names it.
    assert {"fr": "Mes données", "nl": "Mijn gegevens", "de": "Meine Daten", "en": "My data"}[language] in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", content.LANGUAGES)
def test_the_cookie_statement_names_each_cookie_from_the_settings(settings, client, language):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.LANGUAGE_COOKIE_NAME = "__Host-language"
    html = statement(client, language, "cookies")
    for name in ("__Host-sessionid", "__Host-csrftoken", "__Host-language"):
        assert f"<code>{name}</code>" in html
    assert str(django_settings.CSRF_COOKIE_AGE // 86400) in html


def test_the_language_cookie_lasts_as_the_statement_says():
    """The statement says the language cookie ends with the browser: no LANGUAGE_COOKIE_AGE is set."""
    assert django_settings.LANGUAGE_COOKIE_AGE is None


@pytest.mark.django_db
def test_the_portal_sets_no_cookie_the_statement_does_not_name():
    """A visitor who logs in, changes the language and sends a form receives the three named cookies only."""
    client = Client()
    seen = set()
    seen |= set(client.get("/fr/").cookies)
    seen |= set(client.get("/fr/account/login/").cookies)
    seen |= set(client.post("/i18n/setlang/", {"language": "nl", "next": "/nl/"}).cookies)
    log_in(client, UserFactory())
    seen |= set(client.cookies)
    seen |= set(client.get("/nl/access-requests/new/").cookies)
    named = {
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        django_settings.LANGUAGE_COOKIE_NAME,
    }
    assert seen <= named
    assert seen == named  # each named cookie is really used


@pytest.mark.django_db
@pytest.mark.parametrize("language", content.LANGUAGES)
def test_the_accessibility_statement_cites_the_measured_results(client, language):
    html = statement(client, language, "accessibility")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert f"axe-core {lock['packages']['node_modules/axe-core']['version']}" in html
    facts = content.accessibility_review()
    assert facts["reviewed_on"] in html and f": {facts['axe_violations']}." in html
    assert "2.1" in html and "360" in html


def test_the_accessibility_record_lists_every_module_that_measures():
    """docs/accessibility.md, which the statement cites, names exactly the test modules that run axe-core."""
    measuring = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "eservices").rglob("test_*.py")
        if re.search(r"^from conftest import .*assert_accessible", path.read_text(encoding="utf-8"), re.M)
    }
    listed = set(re.findall(r"^\| `(eservices/[^`]+\.py)` \|", (ROOT / "docs" / "accessibility.md").read_text(), re.M))
    assert listed == measuring


def test_the_reported_violations_are_what_the_checker_accepts():
    """The record says 0: the shared checker fails a test on any violation, so a green suite measures 0."""
    assert content.accessibility_review()["axe_violations"] == "0"
    source = (ROOT / "conftest.py").read_text(encoding="utf-8")
    assert "assert problems == []" in source
