"""The public verification page: no login, the same checks as verify_receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import set_rates
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits.services import receipt_of
from eservices.deposits.tests.factories import make_deposit, pdf_upload, xlsx_upload
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/en/verify/"


@pytest.fixture
def client():
    """A client from an address of its own: the rate limit's counters (in the shared cache) start at zero."""
    import random

    from django.test import Client

    return Client(REMOTE_ADDR=f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}")


@pytest.fixture
def bundle():
    pdf, xlsx = pdf_upload(), xlsx_upload()
    files = [(pdf.name, pdf.read()), (xlsx.name, xlsx.read())]
    pdf.seek(0), xlsx.seek(0)
    deposit = make_deposit(UserFactory(), CaseFileFactory(), files=[pdf, xlsx])
    return receipt_of(deposit).pdf.read(), files, deposit


def test_anyone_can_open_the_page(client):
    assert client.get(URL).status_code == 200


def test_a_genuine_receipt_with_its_files_passes(client, bundle):
    receipt, files, deposit = bundle
    response = client.post(
        URL,
        {
            "receipt": SimpleUploadedFile("r.pdf", receipt),
            "files": [SimpleUploadedFile(name, data) for name, data in files],
        },
    )
    html = response.content.decode()
    assert "This proof of deposit is genuine." in html
    assert deposit.number in html and "fails" not in html


def test_a_changed_file_fails(client, bundle):
    receipt, files, _deposit = bundle
    name, data = files[0]
    changed = bytearray(data)
    changed[10] ^= 1
    response = client.post(
        URL, {"receipt": SimpleUploadedFile("r.pdf", receipt), "files": [SimpleUploadedFile(name, bytes(changed))]}
    )
    html = response.content.decode()
    assert "This proof of deposit fails verification." in html
    assert "does not match any file of the receipt" in html


def test_a_changed_receipt_fails(client, bundle):
    receipt, _files, _deposit = bundle
    changed = bytearray(receipt)
    changed[len(changed) // 4] ^= 1
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", bytes(changed))})
    assert "This proof of deposit fails verification." in response.content.decode()


def test_a_file_that_is_not_a_receipt_fails(client):
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")})
    assert "The receipt carries no electronic seal." in response.content.decode()


def test_the_page_is_rate_limited_per_address(client, settings):
    set_rates(settings, "verification", ip="2/m")
    for _ in range(2):
        assert client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")}).status_code == 200
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")})
    assert response.status_code == 429 and "Too many verifications" in response.content.decode()
    assert client.get(URL).status_code == 200
