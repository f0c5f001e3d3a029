"""The public verification page: no login, the same checks as verify_receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from conftest import set_rates
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.core import display
from eservices.deposits.services import receipt_of
from eservices.deposits.tests.factories import make_deposit, pdf_upload, xlsx_upload
from eservices.evidence.services import ReceiptVerification
from eservices.identity.tests.factories import UserFactory
from eservices.intake.tests.corpus import write_many_objects_pdf
from eservices.signing.services import SignatureCheck

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
    html = response.content.decode()
    assert "This proof of deposit fails verification." in html
    assert "The file is not a PDF proof of deposit of the expected structure." in html


def test_the_page_is_rate_limited_per_address(client, settings):
    set_rates(settings, "verification", ip="2/m")
    for _ in range(2):
        assert client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")}).status_code == 200
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")})
    assert response.status_code == 429 and "Too many verifications" in response.content.decode()
    assert client.get(URL).status_code == 200


def test_a_receipt_larger_than_the_cap_is_refused_unread(client, settings, monkeypatch):
    settings.VERIFY_MAX_RECEIPT_BYTES = 1024
    monkeypatch.setattr("eservices.portal.deposits.verify_receipt", _must_not_run)
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"%PDF-1.7\n" + b" " * 2000 + b"%%EOF")})
    with translation.override("en"):
        limit = display.size(1024)
    assert f"A proof of deposit is at most {limit}; this file is larger." in response.content.decode()


def _must_not_run(*args, **kwargs):
    raise AssertionError("the receipt was read")


def test_a_pdf_of_many_small_objects_is_refused_before_pyhanko(client, tmp_path, monkeypatch):
    """The issue's file: object streams packed with tiny objects. qpdf counts them in the bounded child process
    and pyHanko never sees the file (the child would otherwise spend seconds of CPU and hundreds of MB)."""
    path = write_many_objects_pdf(tmp_path / "many.pdf", 100_000)
    assert path.stat().st_size < 1024 * 1024  # under the size cap: the structure check is what refuses it
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", path.read_bytes())})
    html = response.content.decode()
    assert "The file is not a PDF proof of deposit of the expected structure." in html
    assert "The receipt carries no signature." not in html


def test_reading_a_receipt_is_bounded_in_memory(client, settings, tmp_path, monkeypatch):
    """Were the object count not bounded (raised here), the child process's memory limit would stop the read."""
    monkeypatch.setattr("eservices.evidence.receipts.MAX_OBJECTS", 10**7)
    settings.INTAKE_PARSE_MEMORY_BYTES = 16 * 1024 * 1024
    path = write_many_objects_pdf(tmp_path / "many.pdf", 100_000)
    html = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", path.read_bytes())}).content.decode()
    assert "This proof of deposit fails verification." in html
    assert "took more than 5 seconds of processing or 16.0\xa0MB of memory" in html


def test_a_slow_verification_counts_as_several(client, settings, monkeypatch):
    """Each started second of reading the receipt beyond the first uses one more verification of the address's
    rate. The cost is given (the test must not depend on the machine's speed): this one "took" 4.5 s."""
    set_rates(settings, "verification", ip="5/m")

    def slow(pdf_bytes, files=()):
        return ReceiptVerification(checks=[], facts=None, signature=SignatureCheck(), seconds=4.5)

    monkeypatch.setattr("eservices.portal.deposits.verify_receipt", slow)
    assert client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")}).status_code == 200
    response = client.post(URL, {"receipt": SimpleUploadedFile("r.pdf", b"hello")})
    assert response.status_code == 429
