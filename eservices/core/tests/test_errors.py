"""With DEBUG off, a failure shows the generic page: no stack trace, SQL or secret."""

import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.urls("eservices.core.tests.urls_for_tests")
def test_forced_500_shows_the_generic_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/test/fail/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur s'est produite" in html and "An error occurred" in html
    for leak in ("Traceback", "RuntimeError", "SELECT", "national_number", settings.SECRET_KEY, "config.settings"):
        assert leak not in html
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_test_profile_runs_without_debug():
    assert settings.DEBUG is False
