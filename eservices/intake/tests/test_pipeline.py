"""Streaming limits, atomicity, idempotency, submissions, names and cleanup."""

import datetime
import hashlib
import io
import os
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from eservices.audit.models import AuditEvent
from eservices.identity.models import User
from eservices.intake import policies, services, uploads
from eservices.intake.models import IntakeRejection, ScanStatus, StoredFile
from eservices.intake.names import clean_display_name
from eservices.intake.tests.corpus import fpdf_pdf, openpyxl_xlsx

pytestmark = pytest.mark.django_db
PDF = fpdf_pdf()


def small_policy(**limits):
    base = policies.get("deposit")
    return policies.Policy(**{**base.__dict__, **limits})


class EndlessUpload:
    """A file object that never ends: it records how much was read."""

    name = "endless.pdf"

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 65536 if size is None or size < 0 else size
        self.read_bytes += size
        return b"%PDF-" + b"0" * (size - 5)


def stored_keys():
    return default_storage.listdir("intake")[1] if default_storage.exists("intake") else []


def test_limit_is_enforced_while_reading():
    upload = EndlessUpload()
    result = services.receive(upload, policy=small_policy(max_file_bytes=1024 * 1024))
    assert result.code == "too_large"
    assert upload.read_bytes <= 1024 * 1024 + 65536
    assert "1.0" in result.reason or "1,0" in result.reason
    assert result.rejection.size > 1024 * 1024 and result.rejection.sha256 == ""


def test_an_upload_interrupted_mid_stream_leaves_nothing(tmp_path):
    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 100_000:
                raise OSError("client went away")
            return super().read(65536)

    with pytest.raises(OSError):
        services.receive(Broken(b"%PDF-" + os.urandom(300_000)), policy="deposit", original_name="x.pdf")
    assert StoredFile.objects.count() == 0
    assert stored_keys() == []
    assert list((tmp_path / "intake-work").iterdir()) == []


def test_a_failing_row_leaves_no_orphan(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(StoredFile.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit")
    assert stored_keys() == []


def test_same_idempotency_key_yields_one_record():
    first = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit", idempotency_key="form-123")
    again = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit", idempotency_key="form-123")
    assert first.accepted and again.accepted and again.replayed
    assert again.stored_file == first.stored_file
    assert StoredFile.objects.count() == 1 and len(stored_keys()) == 1


def test_an_idempotency_race_keeps_one_record(monkeypatch):
    """Two requests with one key both pass the first lookup: the unique constraint keeps one row, one file."""
    first = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit", idempotency_key="k")
    real_filter = StoredFile.objects.filter
    calls = {"n": 0}

    def miss_once(*args, **kwargs):
        calls["n"] += 1
        return real_filter(pk=-1) if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(StoredFile.objects, "filter", miss_once)
    with transaction.atomic():
        second = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit", idempotency_key="k")
    assert second.replayed and second.stored_file == first.stored_file
    assert len(stored_keys()) == 1


def test_stored_record_and_audit(django_user_model):
    user = User.objects.create_user(username="dr.dubois", password="x" * 20)
    result = services.receive(
        ContentFile(PDF, name="C:\\fakepath\\Rapport\u202efdp.exe.pdf"), policy="deposit", actor=user
    )
    stored = result.stored_file
    assert stored.display_name == "Rapportfdp.exe.pdf"
    assert stored.original_name == "C:\\fakepath\\Rapport\u202efdp.exe.pdf"
    assert stored.media_type == "application/pdf" and stored.uploaded_by == user
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    event = AuditEvent.objects.get(action="intake.stored")
    assert event.actor == user and event.object_id == str(stored.pk)


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("com1.xlsx", "_com1.xlsx"),
        ("a\u202egpj.exe", "agpj.exe"),
        ("zero\u200bwidth\x00\x1f.pdf", "zerowidth.pdf"),
        ("  rapport final .pdf. ", "rapport final.pdf"),
        ("a:b*c?.pdf", "a_b_c_.pdf"),
        ("", "document"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_display_names_are_cleaned(original, shown):
    assert clean_display_name(original) == shown


def test_stored_key_never_derives_from_the_name():
    result = services.receive(ContentFile(PDF, name="../../../secret.pdf"), policy="deposit")
    assert result.stored_file.storage_key.startswith("intake/")
    assert "secret" not in result.stored_file.storage_key and ".." not in result.stored_file.storage_key


def test_submission_all_or_nothing(django_capture_on_commit_callbacks):
    files = [ContentFile(PDF, name="a.pdf"), ContentFile(b"MZ" + b"\0" * 100, name="b.pdf")]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.receive_submission(files, policy="deposit")
    assert not outcome.accepted
    assert [result.code for result in outcome.files] == ["submission_refused", "executable"]
    assert StoredFile.objects.count() == 0
    assert stored_keys() == []
    assert IntakeRejection.objects.filter(submission__isnull=False).values("submission").distinct().count() == 1


def test_submission_accepted():
    outcome = services.receive_submission(
        [ContentFile(PDF, name="a.pdf"), ContentFile(openpyxl_xlsx(), name="b.xlsx")], policy="deposit"
    )
    assert outcome.accepted and len(outcome.stored_files) == 2
    assert len({stored.submission for stored in outcome.stored_files}) == 1


def test_submission_limits():
    many = [ContentFile(PDF, name=f"{n}.pdf") for n in range(3)]
    outcome = services.receive_submission(many, policy=small_policy(max_files=2))
    assert {result.code for result in outcome.files} == {"too_many_files"}
    outcome = services.receive_submission(many, policy=small_policy(max_submission_bytes=len(PDF) * 2))
    assert {result.code for result in outcome.files} == {"submission_too_large"}
    assert StoredFile.objects.count() == 0


def test_submission_total_is_enforced_while_reading():
    """Files whose size is unknown beforehand: the running total stops the reading."""

    class Unsized(io.BytesIO):
        name = "x.pdf"

    files = [Unsized(PDF), Unsized(PDF)]
    outcome = services.receive_submission(files, policy=small_policy(max_submission_bytes=len(PDF) + 10))
    assert [result.code for result in outcome.files] == ["submission_refused", "submission_too_large"]


def _multipart(size):
    request = RequestFactory().post(
        "/upload", {"document": ContentFile(b"%PDF-" + b"0" * size, name="big.pdf"), "title": "x"}
    )
    request.user = AnonymousUser()
    return request


def test_upload_handler_cuts_the_body_at_the_policy_limit(settings):
    request = _multipart(3 * 1024 * 1024)
    uploads.use_policy(request, small_policy(max_file_bytes=1024 * 1024))
    assert "document" not in request.FILES
    assert uploads.limit_rejection(request) == ("too_large", 1024 * 1024)
    result = services.refuse_cut_upload(request, policy="deposit")
    assert result.code == "too_large" and result.display_name == "big.pdf"
    assert IntakeRejection.objects.get().params == {"limit": 1024 * 1024}


def test_upload_handler_keeps_files_on_disk():
    request = _multipart(100)
    assert uploads.limit_rejection(request) is None
    assert services.refuse_cut_upload(request, policy="deposit") is None
    document = request.FILES["document"]
    assert hasattr(document, "temporary_file_path")
    assert services.receive(document, policy="deposit").code == "unreadable"


def test_cleanup_removes_old_leftovers_only(tmp_path):
    kept = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    old_orphan = default_storage.save("intake/orphan-old", ContentFile(b"x"))
    new_orphan = default_storage.save("intake/orphan-new", ContentFile(b"x"))
    work = tmp_path / "intake-work"
    work.mkdir(exist_ok=True)
    (work / "upload-old").write_bytes(b"x")
    (work / "upload-new").write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for path in (default_storage.path(old_orphan), default_storage.path(kept.storage_key), work / "upload-old"):
        os.utime(path, (two_days_ago, two_days_ago))
    call_command("cleanup_intake", "--hours", "24", stdout=io.StringIO())
    assert sorted(stored_keys()) == sorted([kept.storage_key.split("/")[1], "orphan-new"])
    assert [path.name for path in work.iterdir()] == ["upload-new"]
    assert new_orphan
    assert AuditEvent.objects.filter(action="intake.cleaned").count() == 1
    assert services.cleanup(older_than=datetime.timedelta(hours=24)) == (0, 0)


def test_unscanned_files_are_released_only_where_allowed(settings):
    stored = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    settings.INTAKE_RELEASE_UNSCANNED = False
    assert not stored.is_released
    with pytest.raises(PermissionError):
        stored.open()
    settings.INTAKE_RELEASE_UNSCANNED = True
    with stored.open() as file:
        assert file.read() == PDF


def test_upload_handler_cuts_at_the_submission_total():
    factory = RequestFactory()
    request = factory.post(
        "/upload",
        {
            "first": ContentFile(b"%PDF-" + b"0" * 700_000, name="a.pdf"),
            "second": ContentFile(b"%PDF-" + b"0" * 700_000, name="b.pdf"),
        },
    )
    uploads.use_policy(request, small_policy(max_submission_bytes=1024 * 1024))
    assert "second" not in request.FILES
    assert uploads.limit_rejection(request) == ("submission_too_large", 1024 * 1024)


def test_an_unknown_policy_is_a_programming_error():
    with pytest.raises(LookupError):
        services.receive(ContentFile(PDF, name="a.pdf"), policy="holiday_pictures")


def test_discard_removes_row_then_bytes_after_commit(django_capture_on_commit_callbacks):
    stored = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    with django_capture_on_commit_callbacks(execute=True):
        services.discard(stored)
    assert StoredFile.objects.count() == 0 and stored_keys() == []
    assert AuditEvent.objects.filter(action="intake.discarded").count() == 1


def test_a_51_mb_upload_is_refused_by_default_without_being_buffered():
    """R20: with the default limit (50 MiB) the upload handler stops reading at the limit."""
    request = _multipart(51 * 1024 * 1024)
    assert "document" not in request.FILES
    assert uploads.limit_rejection(request) == ("too_large", 50 * 1024 * 1024)


def test_idempotency_keys_are_scoped_to_the_uploader():
    alice = User.objects.create_user(username="alice", password="x" * 20)
    bob = User.objects.create_user(username="bob", password="x" * 20)
    first = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit", actor=alice, idempotency_key="1")
    other = services.receive(ContentFile(PDF, name="b.pdf"), policy="deposit", actor=bob, idempotency_key="1")
    again = services.receive(ContentFile(PDF, name="c.pdf"), policy="deposit", actor=alice, idempotency_key="1")
    assert other.stored_file != first.stored_file and not other.replayed
    assert again.stored_file == first.stored_file and again.replayed
