import re

import pytest


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_with_a_nonce(client):
    response = client.get("/fr/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy


@pytest.mark.django_db
def test_pages_have_no_inline_script(client):
    """Every script is a static file or carries the request's nonce."""
    response = client.get("/fr/")
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or "nonce=" in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+=", response.content.decode())


@pytest.mark.django_db
def test_other_security_headers(client):
    response = client.get("/fr/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_404_pages_carry_the_headers_too(client):
    response = client.get("/fr/nothing-here/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "person", "administrator"])
def test_no_page_of_the_project_has_inline_script_or_style(role):
    """Every URL of the matrix, as seen by three roles: scripts and styles come from static files or carry the
    request's nonce; no event-handler or style attribute."""
    from eservices.core.tests.test_authorisation_matrix import REGISTRY, ROUTES, World

    world = World()
    client = world.client_for(role)
    offending = []
    for key in sorted(set(ROUTES) & set(REGISTRY)):
        response = client.get(REGISTRY[key].url(key, world))
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        html = response.content.decode()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" not in tag and "nonce=" not in tag:
                offending.append((key, tag))
        offending += [(key, attribute) for attribute in re.findall(r"<[^>]+\s(on[a-z]+|style)=", html)]
    assert offending == []


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored(client):
    from conftest import log_in
    from eservices.units.tests.factories import StaffFactory

    log_in(client, StaffFactory())
    response = client.get("/fr/backoffice/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
