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
