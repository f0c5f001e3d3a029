"""The production profile: HSTS, HTTPS redirect and __Host- cookies that are Secure, HttpOnly and SameSite."""

import json

import pytest

from eservices.core.tests.test_settings_profiles import STRONG_KEY, manage, production


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    data = tmp_path_factory.mktemp("production")
    result = manage(
        "shell",
        "-c",
        "import runpy; runpy.run_module('eservices.core.tests.production_probe', run_name='__main__')",
        **production(SECRET_KEY=STRONG_KEY, SECM_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="config.settings"),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("response", ["page", "missing"])
def test_hsts_and_the_other_headers_on_pages_and_errors(probe, response):
    headers = probe[response]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert probe["missing"]["status"] == 404 and probe["page"]["status"] == 200


def test_plain_http_is_redirected_to_https(probe):
    assert probe["plain"]["status"] == 301
    assert probe["plain"]["location"] == "https://eservices.example/fr/"


def cookie(probe, name):
    [found] = [line for line in probe["cookies"] if line.startswith(f"{name}=")]
    return {part.strip().split("=")[0].lower() for part in found.split(";")[1:]}, found


@pytest.mark.parametrize(
    ("name", "http_only"),
    [("__Host-sessionid", True), ("__Host-csrftoken", False), ("__Host-language", True)],
)
def test_cookies_are_host_prefixed_secure_and_same_site(probe, name, http_only):
    attributes, line = cookie(probe, name)
    assert "secure" in attributes
    assert "samesite=lax" in line.lower()
    assert "path=/" in line.lower() and "domain" not in attributes  # what the __Host- prefix demands
    assert ("httponly" in attributes) is http_only


def test_no_other_cookie(probe):
    assert probe["language"]["status"] == 302
    assert all(line.startswith("__Host-") for line in probe["cookies"]), probe["cookies"]
