"""Downloads over HTTP: each role, each refusal, ranges, headers, the ZIP, the evidence."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from conftest import log_in, set_rates
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.evidence.models import EvidenceEvent


def url(document):
    return f"/en/documents/{document.pk}/download"


def body(response):
    return b"".join(response.streaming_content)


def stored(document):
    with default_storage.open(document.file.name) as stored_file:
        return stored_file.read()


def test_anonymous_is_sent_to_log_in(world, client):
    response = client.get(url(world.public))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not EvidenceEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "document"),
    [
        ("outsider", "public"),  # no grant
        ("concerned_user", "staff_only"),  # reserved to staff
        ("concerned_user", "secret"),  # confidential even in existence
        ("representative", "for_concerned"),  # shown to another party only
        ("concerned_user", "other_document"),  # another case file
        ("other_staff", "public"),  # staff of another unit
    ],
)
def test_refusals_are_404(world, client, persona, document):
    """Whoever may not open a document finds it absent, exactly as an identifier that does not exist."""
    log_in(client, getattr(world, persona))
    assert client.get(url(getattr(world, document))).status_code == 404
    assert client.get("/en/documents/987654/download").status_code == 404
    assert not EvidenceEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "capacity"),
    [
        ("concerned_user", "concerned_person"),
        ("lawyer_user", "lawyer"),
        ("representative", "company_representative"),
        ("clerk", "staff"),
    ],
)
def test_allowed_download_is_streamed_with_safe_headers_and_recorded(world, client, persona, capacity):
    """The bytes, an ETag from the SHA-256, a safe file name, no sniffing, a sandbox, no caching; evidence."""
    user = getattr(world, persona)
    log_in(client, user)
    response = client.get(url(world.public))
    assert response.status_code == 200
    assert body(response) == stored(world.public)
    assert response["ETag"] == f'"{world.public.sha256}"'
    assert response["Content-Length"] == str(world.public.size)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Public report.pdf\"; filename*=UTF-8''Public%20report.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]
    event = EvidenceEvent.objects.get(event=EvidenceEvent.Event.DOWNLOADED)
    assert (event.actor, event.capacity, event.subject_id) == (user, capacity, str(world.public.pk))
    if capacity == "staff":
        assert event.details["unit"] == "CPI"


def test_range_requests(world, client):
    log_in(client, world.concerned_user)
    data = stored(world.public)
    assert body(client.get(url(world.public), HTTP_RANGE="bytes=0-9")) == data[:10]
    response = client.get(url(world.public), HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert body(response) == data[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{len(data)}"
    suffix = client.get(url(world.public), HTTP_RANGE="bytes=-5")
    assert body(suffix) == data[-5:]
    beyond = client.get(url(world.public), HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    stale = client.get(url(world.public), HTTP_RANGE="bytes=0-4", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200 and body(stale) == data
    # the ranges from the first byte are recorded, the continuations (10-19, -5) are not
    assert EvidenceEvent.objects.count() == 2


def test_if_none_match_gives_304(world, client):
    log_in(client, world.concerned_user)
    response = client.get(url(world.public), HTTP_IF_NONE_MATCH=f'"{world.public.sha256}"')
    assert response.status_code == 304


def test_a_name_with_accents_and_path_characters_is_made_safe(world, client):
    world.public.title = '../Décision "finale"\r\nX-Evil: 1'
    world.public.save()
    log_in(client, world.concerned_user)
    disposition = client.get(url(world.public))["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition and "/" not in disposition.split("filename*")[0]
    assert "filename*=UTF-8''D%C3%A9cision%20_finale_X-Evil_%201.pdf" in disposition


def test_zip_holds_the_inventory_first_then_the_documents_the_grant_covers(world, client):
    log_in(client, world.concerned_user)
    response = client.get(f"/en/case-files/{world.case_file.pk}/documents.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = body(response)
    assert response["Content-Length"] == str(len(content))
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names[0].endswith(".csv") and len(names) == 3
    inventory = archive.read(names[0]).decode("utf-8-sig")
    assert world.public.sha256 in inventory and world.for_concerned.sha256 in inventory
    assert "Internal note" not in inventory and "Secret annex" not in inventory
    # Asked in English: English headings; the unit has no English name, so its French one.
    assert inventory.startswith("File;Title;Date;Author;") and ";Greffe CPI;" in inventory
    for name in names[1:]:
        assert hashlib.sha256(archive.read(name)).hexdigest() in inventory
    events = EvidenceEvent.objects.filter(event=EvidenceEvent.Event.DOWNLOADED)
    assert {event.subject_id for event in events} == {str(world.public.pk), str(world.for_concerned.pk)}
    assert all(event.details["archive"] and event.capacity == "concerned_person" for event in events)


@pytest.mark.parametrize("persona", ["outsider", "other_staff"])
def test_zip_refusals_are_404(world, client, persona):
    log_in(client, getattr(world, persona))
    assert client.get(f"/en/case-files/{world.case_file.pk}/documents.zip").status_code == 404
    assert client.get(f"/en/backoffice/case-files/{world.case_file.pk}/documents.zip").status_code in (403, 404)


def test_staff_zip_holds_every_document(world, client):
    log_in(client, world.clerk)
    response = client.get(f"/en/backoffice/case-files/{world.case_file.pk}/documents.zip")
    assert len(zipfile.ZipFile(io.BytesIO(body(response))).namelist()) == 5


def test_production_hands_the_bytes_to_the_web_server(world, client, settings):
    settings.DOWNLOAD_OFFLOAD = "accel"
    settings.DOWNLOAD_ACCEL_REDIRECT = "/protected-documents/"
    log_in(client, world.concerned_user)
    response = client.get(url(world.public))
    assert response["X-Accel-Redirect"] == f"/protected-documents/{world.public.file.name}"
    assert response.content == b""
    assert response["Content-Security-Policy"] == "sandbox"
    assert EvidenceEvent.objects.count() == 1


def test_production_on_s3_redirects_to_a_short_lived_signed_url(world, client, settings, monkeypatch):
    """No S3 service runs here: the storage's url() is replaced, to check what the portal asks of it."""
    settings.DOWNLOAD_OFFLOAD = "signed_url"
    asked = {}

    def signed_url(storage, name, parameters=None, expire=None):
        asked.update(name=name, parameters=parameters, expire=expire)
        return "https://bucket.example/doc?X-Amz-Signature=abc"

    monkeypatch.setattr(FileSystemStorage, "url", signed_url)
    log_in(client, world.concerned_user)
    response = client.get(url(world.public))
    assert response.status_code == 302 and response["Location"].startswith("https://bucket.example/")
    assert asked["expire"] == 60 and asked["name"] == world.public.file.name
    assert asked["parameters"]["ResponseContentDisposition"].startswith("attachment;")
    assert EvidenceEvent.objects.count() == 1


def test_an_expired_grant_downloads_nothing(world, client):
    world.concerned_grant.valid_until = world.yesterday
    world.concerned_grant.save()
    log_in(client, world.concerned_user)
    assert client.get(url(world.public)).status_code == 404
    assert client.get(f"/en/case-files/{world.case_file.pk}/documents.zip").status_code == 404


def test_downloads_are_rate_limited_per_person(world, client, settings):
    """The "download" group of RATE_LIMITS: past it, the translated 429 page and no bytes."""
    set_rates(settings, "download", user_or_ip="2/m")
    log_in(client, world.concerned_user)
    assert [client.get(url(world.public)).status_code for _ in range(2)] == [200, 200]
    response = client.get(url(world.public), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert not hasattr(response, "streaming_content")


@attempts()
@pytest.mark.parametrize("persona", ["concerned_user", "clerk"])
def test_a_download_is_evidence_whenever_the_answer_hands_over_the_document(world, client, persona, attempt):
    """Portal and back office: byte 0 or the whole file leaving is DOWNLOADED evidence, whatever the headers
    (a suffix range covering the file, a stale If-Range); continuations, HEAD, 304 and 416 are not."""
    log_in(client, getattr(world, persona))
    prefix = "/en/backoffice" if persona == "clerk" else "/en"
    delivery.attempt(client, f"{prefix}/documents/{world.public.pk}/download", attempt)
    assert EvidenceEvent.objects.filter(event=EvidenceEvent.Event.DOWNLOADED).count() == int(attempt.recorded)


def test_a_not_modified_answer_is_not_evidence(world, client):
    log_in(client, world.concerned_user)
    delivery.attempt(client, url(world.public), delivery.not_modified(f'"{world.public.sha256}"'))
    assert not EvidenceEvent.objects.exists()
