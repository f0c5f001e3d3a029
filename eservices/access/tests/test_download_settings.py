"""Production hands downloads to the web server or to signed storage URLs; elsewhere Django streams them."""

import pytest

from eservices.core.tests.test_settings_profiles import STRONG_KEY, manage, production

SHOW = "--command=from django.conf import settings; print(repr(settings.DOWNLOAD_OFFLOAD))"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "''"),
        ({"DOWNLOAD_ACCEL_REDIRECT": "/protected-documents/"}, "'accel'"),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "documents"}, "'signed_url'"),
    ],
)
def test_production_offload(tmp_path, env, expected):
    result = manage("shell", SHOW, **production(SECRET_KEY=STRONG_KEY, SECM_DATA_DIR=str(tmp_path), **env))
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_development_streams_even_with_an_accel_location(tmp_path):
    result = manage("shell", SHOW, SECM_DATA_DIR=str(tmp_path), DOWNLOAD_ACCEL_REDIRECT="/protected-documents/")
    assert result.stdout.strip().splitlines()[-1] == "''", result.stderr
