"""The document storage down (the drill's S3 server stopped): a clear 503, nothing half-stored, the same form
can be sent again once it is back. The object store is real boto3 through django-storages, towards a port where
nothing listens."""

import socket

import pytest
from botocore.config import Config

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import pdf_upload, xlsx_upload
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import StoredFile
from eservices.portal.tests.test_deposit_views import post_deposit

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_down(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "documents",
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
                "region_name": "eu-west-1",
                "access_key": "test",
                "secret_key": "test",  # noqa: S106 - nothing listens there  # pragma: allowlist secret
                "client_config": Config(retries={"max_attempts": 1}, connect_timeout=1),
            },
        },
    }
    # Django's setting_changed receiver resets default_storage for the test and after it.


def test_a_deposit_while_the_storage_is_down_is_refused_clearly_and_nothing_is_kept(client, s3_down):
    log_in(client, UserFactory())
    events = AuditEvent.objects.count()
    response = post_deposit(client, CaseFileFactory(), [pdf_upload(), xlsx_upload()])
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert "été enregistré de votre dernière action" in response.content.decode()  # in French, the page's language
    assert Deposit.objects.count() == 0 and StoredFile.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_upload_script_gets_the_error_as_json(client, s3_down):
    log_in(client, UserFactory())
    response = post_deposit(client, CaseFileFactory(), [pdf_upload()], HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response.json()["ok"] is False
    assert Deposit.objects.count() == 0
