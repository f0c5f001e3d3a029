"""``delivers_document``: the one rule saying whether an answer hands the document over (and is recorded)."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import RequestFactory

from eservices.core.downloads import ArchiveEntry, delivers_document, file_response, zip_response

from .delivery import ATTEMPTS, attempts

DATA = bytes(range(256)) * 4


@pytest.fixture
def stored():
    return default_storage.save("documents/delivery-test", ContentFile(DATA))


def answer(name, method="get", offload="", **headers):
    request = getattr(RequestFactory(), method)("/", **headers)
    sha256 = hashlib.sha256(DATA).hexdigest()
    response = file_response(
        request, name=name, filename="a.pdf", media_type="application/pdf", size=len(DATA), sha256=sha256
    )
    return request, response


@attempts()
def test_each_attempt_is_recorded_exactly_when_it_hands_over_byte_0(stored, attempt):
    request, response = answer(stored, attempt.method, **attempt.headers)
    assert response.status_code == attempt.status
    assert delivers_document(request, response) is attempt.recorded
    if attempt.recorded and attempt.method == "get":
        assert b"".join(response.streaming_content) == DATA[: int(response["Content-Length"])]


def test_a_not_modified_answer_hands_nothing_over(stored):
    request, response = answer(stored, HTTP_IF_NONE_MATCH=f'"{hashlib.sha256(DATA).hexdigest()}"')
    assert response.status_code == 304
    assert not delivers_document(request, response)


@pytest.mark.parametrize("attempt", [a for a in ATTEMPTS if a.status != 416], ids=lambda a: a.name)
def test_behind_the_web_server_the_request_range_decides(stored, settings, attempt):
    """nginx answers the Range itself, and If-Range against its own validators: with one, the whole file."""
    settings.DOWNLOAD_OFFLOAD, settings.DOWNLOAD_ACCEL_REDIRECT = "accel", "/protected-documents/"
    request, response = answer(stored, attempt.method, **attempt.headers)
    assert response["X-Accel-Redirect"] == f"/protected-documents/{stored}"
    assert delivers_document(request, response) is attempt.recorded


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: a.name)
def test_a_signed_storage_url_always_hands_the_document_over(stored, settings, monkeypatch, attempt):
    """The URL fetches the whole file for its lifetime, whatever this request asked, even for HEAD.
    No S3 service runs here: the storage's url() is replaced."""
    settings.DOWNLOAD_OFFLOAD = "signed_url"
    monkeypatch.setattr(FileSystemStorage, "url", lambda storage, name, parameters=None, expire=None: "https://s3/x")
    request, response = answer(stored, attempt.method, **attempt.headers)
    assert response.status_code == 302
    assert delivers_document(request, response)


def test_a_zip_hands_everything_over(stored):
    request = RequestFactory().get("/")
    response = zip_response(filename="a.zip", entries=[ArchiveEntry("a.bin", stored, len(DATA))])
    assert delivers_document(request, response)
    assert not delivers_document(RequestFactory().head("/"), response)
