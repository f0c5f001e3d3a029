"""Fixtures shared by every app's tests."""

import pytest
from django.conf import settings as django_settings


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Each test writes its documents under its own temporary folder."""
    storages = dict(django_settings.STORAGES)
    if storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "documents")}}
        settings.STORAGES = storages


def require_service(reason):
    """Skip a test whose external service is absent, or fail it when SECM_REQUIRE_SERVICES=1."""
    if django_settings.REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def log_in(client, user):
    """Log ``user`` in as the portal would after a successful login (staff: with their strong authentication).

    Every test logs in through this helper, so that the login's session markers live in one place.
    """
    client.force_login(user)
