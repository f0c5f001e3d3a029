"""The user guide: every page in every language, the same screenshots in each, all of them made by the journeys;
every form links to its page; the Markdown is rendered safely."""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import log_in
from eservices.identity.tests.factories import UserFactory
from eservices.pages import content
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

LANGUAGES = content.LANGUAGES
ALL_GUIDE_PAGES = content.GUIDE_PAGES + content.STAFF_PAGES
IMAGE = re.compile(r"!\[[^\]]+\]\(([^)]+)\)")
LINK = re.compile(r'href="([^"]+)"')


def source(folder, language, slug):
    return (folder / language / f"{slug}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "folder,slugs", [(content.GUIDE_DIR, ALL_GUIDE_PAGES), (content.STATEMENTS_DIR, content.STATEMENTS)]
)
def test_every_page_exists_in_every_language_and_no_other(folder, slugs):
    for language in LANGUAGES:
        present = {path.stem for path in (folder / language).glob("*.md")}
        assert present == set(slugs), language


@pytest.mark.parametrize("slug", ALL_GUIDE_PAGES)
def test_each_language_shows_the_same_screenshots_in_the_same_order(slug):
    shown = {language: IMAGE.findall(source(content.GUIDE_DIR, language, slug)) for language in LANGUAGES}
    assert all(names == shown["fr"] for names in shown.values()), shown
    for name in shown["fr"]:
        assert content.SCREENSHOT_LINK.match(name), f"{slug}: {name} is not a journeys' screenshot"
        assert content.SCREENSHOT_LINK.match(name).group(1) in content.SCREENSHOTS, name


def test_every_screenshot_the_guide_names_exists():
    """The browser journeys (``make screenshots``) regenerate docs/screenshots/: the guide never shows an old screen,
    and never a missing one."""
    named = {
        content.SCREENSHOT_LINK.match(link).group(1)
        for language in LANGUAGES
        for slug in ALL_GUIDE_PAGES
        for link in IMAGE.findall(source(content.GUIDE_DIR, language, slug))
    }
    missing = sorted(name for name in named if not (content.SCREENSHOTS_DIR / name).is_file())
    assert missing == [], "run `make screenshots`"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_with_its_title_and_only_working_links(language, client):
    pages = [f"/{language}/guide/"] + [f"/{language}/guide/{slug}/" for slug in ALL_GUIDE_PAGES]
    pages += [f"/{language}/about/{slug}/" for slug in content.STATEMENTS] + [f"/{language}/contact/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert re.search(r"<h1>[^<]+</h1>", html), path
        assert "{{" not in html and ".md" not in html, path  # every figure placed, every link rewritten
        for link in LINK.findall(html):
            if link.startswith(("http", "mailto:", "tel:", "#")) or "/static/" in link:
                continue
            try:
                resolve(link.split("#")[0])
            except Resolver404:
                pytest.fail(f"{path} links to {link}, which does not exist")


def test_the_login_page_says_citizen_and_never_company():
    wording = {"fr": "Citoyen", "nl": "Burger", "de": "Bürger", "en": "Citizen"}
    for language, word in wording.items():
        text = source(content.GUIDE_DIR, language, "log-in")
        assert f"**{word}**" in text, language


@pytest.mark.django_db
def test_a_guide_page_is_404_unless_it_is_listed(client):
    assert client.get("/fr/guide/settings/").status_code == 404
    assert client.get("/fr/about/log-in/").status_code == 404


@pytest.mark.django_db
def test_only_the_journeys_screenshots_are_served(client, tmp_path, monkeypatch):
    monkeypatch.setattr(content, "SCREENSHOTS_DIR", tmp_path)
    (tmp_path / "login.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "other.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/fr/guide/screenshots/login.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get("/fr/guide/screenshots/other.png").status_code == 404
    assert client.get("/fr/guide/screenshots/verify.png").status_code == 404  # listed, not made yet
    assert client.get("/fr/guide/screenshots/..%2F..%2Fmanage.py").status_code == 404


@pytest.mark.django_db
def test_the_markdown_cannot_carry_html_or_script_links(tmp_path, monkeypatch):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "evil.md").write_text(
        "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    page = content.render(tmp_path, "fr", "evil")
    assert "<script>" not in page.html and "<img" not in page.html
    assert "javascript:" not in page.html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in page.html


def test_an_unknown_figure_is_an_error_not_a_blank(tmp_path):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "page.md").write_text("# T\n\n{{ no_such_figure }}\n", encoding="utf-8")
    with pytest.raises(KeyError):
        content.render(tmp_path, "fr", "page")


# ------------------------------------------------------------------------------------------ help in context

CITIZEN_FORMS = {
    "/fr/access-requests/new/": "request-access",
    "/fr/deposits/new/": "deposit",
    "/fr/verify/": "verify-a-proof",
    "/fr/account/profile/": "act-for-someone",
    "/fr/account/representations/new/": "act-for-someone",
    "/fr/account/login/": "log-in",
}
STAFF_FORMS = {
    "/fr/backoffice/access-requests/": "staff-access-requests",
    "/fr/backoffice/deposits/": "staff-deposits",
    "/fr/backoffice/mailbox/paper-fallback/": "staff-paper-fallback",
    "/fr/backoffice/mailbox/failed-alerts/": "staff-notifications",
    "/fr/backoffice/mailbox/send/": "staff-notifications",
    "/fr/backoffice/notices/": "staff-paper-fallback",
}


@pytest.mark.django_db
def test_each_form_links_to_its_page_of_the_guide():
    citizen, staff = Client(), Client()
    log_in(citizen, UserFactory())
    log_in(staff, StaffFactory(unit__role=StaffRole.ADMINISTRATOR))
    for client, forms in ((citizen, CITIZEN_FORMS), (staff, STAFF_FORMS)):
        for path, slug in forms.items():
            response = client.get(path)
            assert response.status_code == 200, path
            assert f'href="/fr/guide/{slug}/"' in response.content.decode(), path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/case-files/999999/", "/fr/backoffice/"])
def test_an_error_page_says_what_to_do_next(path):
    client = Client()
    log_in(client, UserFactory())
    response = client.get(path)
    assert response.status_code in (403, 404)
    html = response.content.decode()
    assert 'href="/fr/guide/"' in html and 'href="/fr/contact/"' in html
    assert 'href="/fr/guide/request-access/"' in html


@pytest.mark.django_db
def test_a_screenshot_not_made_yet_shows_its_text_instead_of_a_broken_image(tmp_path, monkeypatch):
    monkeypatch.setattr(content, "SCREENSHOTS_DIR", tmp_path)
    (tmp_path / "verify.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    missing = content.render(content.GUIDE_DIR, "fr", "deposit")
    present = content.render(content.GUIDE_DIR, "fr", "verify-a-proof")
    assert "<img" not in missing.html and "Le formulaire de dépôt." in missing.html
    assert '<img src="/fr/guide/screenshots/verify.png" alt="La page de vérification."' in present.html
    assert missing.screenshots == ("deposit.png", "deposit-proof.png")
