import re

import pytest


@pytest.mark.django_db
def test_home_is_french_by_default(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/fr/"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu principal" in html
    assert "Mes dossiers" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Mijn dossiers"), ("de", "Meine Akten"), ("en", "My case files"), ("fr", "Mes dossiers")],
)
def test_language_switcher_switches_the_page(client, language, expected):
    """The switcher posts the language and comes back to the same page in that language."""
    client.get("/fr/")
    response = client.post("/i18n/setlang/", {"language": language, "next": "/fr/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/{language}/"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert expected in html


@pytest.mark.django_db
def test_layout_has_landmarks_and_skip_link(client):
    html = client.get("/fr/").content.decode()
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


@pytest.mark.django_db
def test_unknown_page_is_a_translated_404(client):
    response = client.get("/nl/does-not-exist/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
