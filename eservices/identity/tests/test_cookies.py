"""R13: the production profile's cookie settings, and the Set-Cookie headers a login produces with them."""

import subprocess
import sys
from pathlib import Path

import pytest

from eservices.core.tests.test_settings_profiles import STRONG_KEY, production

from .conftest import LEVEL450, log_in_over_oidc

ROOT = Path(__file__).resolve().parents[3]
FIELDS = "SESSION_COOKIE_NAME SESSION_COOKIE_SECURE SESSION_COOKIE_HTTPONLY SESSION_COOKIE_SAMESITE CSRF_COOKIE_NAME"


def test_production_profile_cookie_settings(tmp_path):
    code = f"from django.conf import settings as s; print(*[getattr(s, n) for n in {FIELDS.split()!r}])"
    env = {"PATH": "/usr/bin:/bin", **production(SECRET_KEY=STRONG_KEY, SECM_DATA_DIR=str(tmp_path))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "True",
        "True",
        "Lax",
        "__Host-csrftoken",
    ], result.stderr


@pytest.mark.django_db
@pytest.mark.services
def test_set_cookie_headers_after_login(client, oidc, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    response = log_in_over_oidc(client, acr=LEVEL450)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["domain"]
