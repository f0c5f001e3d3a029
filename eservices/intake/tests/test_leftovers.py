"""What a storage failure, a killed worker or a full disk leaves behind (issue 21): nothing that belongs to no one,
a clear "storage full" refusal, and a cleanup that never touches an upload in flight.

A real full disk cannot be made here (no privileges for a tmpfs or a loop device): the tests make the storage,
the work file or the upload's temporary file raise ``OSError(ENOSPC)`` after writing part of the bytes, which is
what the kernel does."""

import datetime
import errno
import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.management import call_command
from django.utils import timezone, translation

from eservices.audit.models import AuditEvent
from eservices.intake import services, uploads
from eservices.intake.models import IntakeRejection, StoredFile
from eservices.intake.tests.corpus import fpdf_pdf
from eservices.intake.tests.test_pipeline import _multipart, stored_keys

pytestmark = pytest.mark.django_db

PDF = fpdf_pdf()


def pdf(name):
    return ContentFile(PDF, name=name)


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_storage_failure_on_a_later_file_withdraws_the_files_already_stored(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The first file's row used to stay committed, owned by nothing, when the second one failed."""
    store = services._store
    calls = []

    def failing_second_time(path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return store(path)

    monkeypatch.setattr(services, "_store", failing_second_time)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        services.receive_submission([pdf("a.pdf"), pdf("b.pdf")], policy="deposit")
    assert not StoredFile.objects.exists() and stored_keys() == []
    discarded = AuditEvent.objects.get(action="intake.discarded")
    assert discarded.details["reason"] == "submission_failed"


def test_files_nothing_owns_are_withdrawn_after_the_bound_and_audited(settings, django_capture_on_commit_callbacks):
    """A worker killed between the intake's commit and its owner's: the file is reclaimed by cleanup_intake."""
    settings.INTAKE_UPLOAD_MAX_SECONDS = 3600
    lost = services.receive(pdf("lost.pdf"), policy="deposit").stored_file
    recent = services.receive(pdf("recent.pdf"), policy="deposit").stored_file
    StoredFile.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_intake", "--hours", "0", stdout=io.StringIO())
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [recent.pk]  # younger than the bound: kept
    assert stored_keys() == [recent.storage_key.split("/")[1]]
    event = AuditEvent.objects.get(action="intake.discarded")
    assert event.object_id == str(lost.pk) and event.details["reason"] == "no_owner"
    assert AuditEvent.objects.get(action="intake.cleaned").details["owner_less"] == 1


def test_a_full_disk_while_storing_is_refused_as_storage_full_and_leaves_nothing(monkeypatch, settings, tmp_path):
    """Before: a truncated stored file and a generic 500, no refusal recorded."""
    save = FileSystemStorage._save

    def half_then_full(storage, name, content):
        save(storage, name, ContentFile(PDF[: len(PDF) // 2]))  # the kernel wrote part of it
        full_disk()

    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    result = services.receive(pdf("a.pdf"), policy="deposit")
    with translation.override("en"):
        assert result.code == "storage_full" and "storage is full" in str(result.reason)
    rejection = IntakeRejection.objects.get()
    assert rejection.code == "storage_full" and len(rejection.sha256) == 64
    assert AuditEvent.objects.filter(action="intake.rejected").exists()
    assert stored_keys() == [] and not StoredFile.objects.exists()
    assert [path.name for path in (tmp_path / "intake-work").iterdir()] == []


def test_a_full_disk_while_spooling_is_refused_as_storage_full(monkeypatch, tmp_path):
    real_spool = services._spool

    def spool_then_full(uploaded_file, **limits):
        spooled = real_spool(uploaded_file, **limits)
        spooled.path.unlink()
        full_disk()

    monkeypatch.setattr(services, "_spool", spool_then_full)
    assert services.receive(pdf("a.pdf"), policy="deposit").code == "storage_full"


def test_uploads_temporary_files_go_under_the_work_folder(settings):
    """Django's temporary upload files used to go to the system temp folder, where nothing removes them."""
    from config import settings as project

    temporary_dir = project.FILE_UPLOAD_TEMP_DIR
    assert temporary_dir == os.path.join(project.INTAKE_WORK_DIR, "uploads")
    request = _multipart(100)
    path = request.FILES["document"].temporary_file_path()
    assert os.path.dirname(path) == settings.FILE_UPLOAD_TEMP_DIR
    assert settings.FILE_UPLOAD_TEMP_DIR.startswith(settings.INTAKE_WORK_DIR)


def test_a_full_disk_while_receiving_the_body_cuts_the_upload_as_storage_full(monkeypatch, settings):
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", full_disk)
    request = _multipart(100)
    assert "document" not in request.FILES
    assert uploads.limit_rejection(request) == ("storage_full", 0)
    assert services.refuse_cut_upload(request, policy="deposit").code == "storage_full"
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []  # the partial temporary file is gone


def test_cleanup_never_touches_an_upload_in_flight(settings, tmp_path):
    """`cleanup_intake --hours 0` used to delete the work file of an upload being checked."""
    settings.INTAKE_UPLOAD_MAX_SECONDS = 3600
    work = tmp_path / "intake-work"
    temporary = work / "uploads"
    temporary.mkdir(parents=True)
    in_flight, killed = work / "upload-in-flight", work / "upload-killed"
    body_in_flight, body_killed = temporary / "tmpa.upload.pdf", temporary / "tmpb.upload.pdf"
    for path in (in_flight, killed, body_in_flight, body_killed):
        path.write_bytes(b"x")
    ten_minutes_ago, two_hours_ago = time.time() - 600, time.time() - 7200
    for path in (in_flight, body_in_flight):
        os.utime(path, (ten_minutes_ago, ten_minutes_ago))
    for path in (killed, body_killed):
        os.utime(path, (two_hours_ago, two_hours_ago))
    call_command("cleanup_intake", "--hours", "0", stdout=io.StringIO())
    assert in_flight.exists() and body_in_flight.exists()
    assert not killed.exists() and not body_killed.exists()
