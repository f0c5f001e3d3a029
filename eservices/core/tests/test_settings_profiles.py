"""The production profile refuses unsafe configurations and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import DEMO_SECRET_KEY

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k" * 20 + "-production-test-key-" + "z" * 20


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECM_", "DJANGO_")) and key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


STRONG_NRN_KEY = "n" * 40


STRONG_ENCRYPTION_KEY = "cHJvZHVjdGlvbi10ZXN0LWVuY3J5cHRpb24ta2V5LTE="
STRONG_SEAL_KEY = "s" * 40


def production(**env):
    return {
        "SECM_PROFILE": "production",
        "ALLOWED_HOSTS": "eservices.example",
        "NRN_HASH_KEY": STRONG_NRN_KEY,
        "NRN_ENCRYPTION_KEYS": STRONG_ENCRYPTION_KEY,
        "OIDC_ISSUER": "https://idp.iam.example",
        "OIDC_CLIENT_ID": "secm-eservices",
        "AUDIT_SEAL_KEY": STRONG_SEAL_KEY,
        "SITE_URL": "https://eservices.example",
        **env,
    }


def test_production_profile_passes_check_deploy(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **production(SECRET_KEY=STRONG_KEY, SECM_DATA_DIR=str(tmp_path))
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "needs its own SECRET_KEY"),
        ({"SECRET_KEY": DEMO_SECRET_KEY}, "needs its own SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY, "DEBUG": "1"}, "refuses DEBUG"),
        ({"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": ""}, "needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": STRONG_KEY, "NRN_HASH_KEY": "demo-only-nrn-hash-key"}, "needs its own NRN_HASH_KEY"),
        ({"SECRET_KEY": STRONG_KEY, "OIDC_DEV_PROVIDER": "1"}, "refuses the development identity provider"),
        ({"SECRET_KEY": STRONG_KEY, "OIDC_ISSUER": "http://127.0.0.1:8089"}, "refuses the development identity"),
        ({"SECRET_KEY": STRONG_KEY, "OIDC_ISSUER": "https://localhost:8089"}, "refuses the development identity"),
        ({"SECRET_KEY": STRONG_KEY, "OIDC_ISSUER": ""}, "needs OIDC_ISSUER"),
        (
            {"SECRET_KEY": STRONG_KEY, "NRN_ENCRYPTION_KEYS": "ZGVtby1vbmx5LW5ybi1lbmNyeXB0aW9uLWtleS0wMDA="},
            "needs its own NRN_ENCRYPTION_KEYS",
        ),
        ({"SECRET_KEY": STRONG_KEY, "AUDIT_SEAL_KEY": ""}, "needs its own AUDIT_SEAL_KEY"),
        ({"SECRET_KEY": STRONG_KEY, "AUDIT_SEAL_KEY": "short"}, "needs its own AUDIT_SEAL_KEY"),
        ({"SECRET_KEY": STRONG_KEY, "AUDIT_SEAL_KEY": STRONG_KEY}, "needs its own AUDIT_SEAL_KEY"),
        ({"SECRET_KEY": STRONG_KEY, "SITE_URL": ""}, "needs an https SITE_URL"),
        ({"SECRET_KEY": STRONG_KEY, "SITE_URL": "http://eservices.example"}, "needs an https SITE_URL"),
    ],
)
def test_production_profile_refuses_to_start(tmp_path, env, message):
    result = manage("check", **{**production(SECM_DATA_DIR=str(tmp_path)), **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    """``SECRET_KEY_FILE`` lets the key come from a mounted secret instead of the environment."""
    key_file = tmp_path / "secret"
    key_file.write_text(STRONG_KEY + "\n")
    result = manage("check", **production(SECRET_KEY_FILE=str(key_file), SECM_DATA_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stderr


def test_invalid_boolean_is_a_clear_error(tmp_path):
    result = manage("check", DEBUG="maybe", SECM_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
