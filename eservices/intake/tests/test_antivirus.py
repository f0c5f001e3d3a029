"""The real clamd: verdicts, the stream limit, quarantine while clamd is away, and the later scan."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from eservices.audit.models import AuditEvent
from eservices.intake import antivirus, services, signals
from eservices.intake.models import IntakeRejection, ScanStatus, StoredFile
from eservices.intake.tests.corpus import EICAR, TEST_SIGNATURE, fpdf_pdf, pikepdf_pdf, write_large_pdf

pytestmark = pytest.mark.django_db
PDF = fpdf_pdf()


def infected_pdf():
    def configure(pdf):
        pdf.pages[0].Contents = pdf.make_stream(b"% " + TEST_SIGNATURE + b"\n")

    return pikepdf_pdf(configure=configure, compress_streams=False)


def test_verdicts(clamd):
    assert antivirus.ping()
    assert antivirus.scan_stream(io.BytesIO(PDF)).status == "clean"
    verdict = antivirus.scan_stream(io.BytesIO(EICAR))
    assert verdict.status == "infected" and "EICAR" in verdict.signature


def test_a_stream_over_clamds_limit_is_not_scanned_never_clean(clamd, tmp_path):
    path = write_large_pdf(tmp_path / "big.pdf", 10 * 1024 * 1024)  # clamd's StreamMaxLength is 8M here
    assert antivirus.scan_file(path).status == "not_scanned"
    with open(path, "rb") as file:
        result = services.receive(file, policy="deposit", original_name="big.pdf")
    assert result.code == "not_scanned"
    assert StoredFile.objects.count() == 0


def test_a_file_beyond_clamds_scan_limits_is_not_scanned(clamd, tmp_path):
    """clamd (AlertExceedsMax) reports a file over MaxFileSize (6M here) as a limit, not as clean."""
    path = write_large_pdf(tmp_path / "seven.pdf", 7 * 1024 * 1024)
    verdict = antivirus.scan_file(path)
    assert verdict.status == "not_scanned" and "MaxFileSize" in verdict.detail
    with open(path, "rb") as file:
        assert services.receive(file, policy="deposit", original_name="seven.pdf").code == "not_scanned"


def test_unreachable_clamd_keeps_files_pending_until_it_is_back(
    clamd, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'nowhere.sock'}"
    assert not antivirus.ping()
    clean = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    bad = services.receive(ContentFile(infected_pdf(), name="b.pdf"), policy="deposit").stored_file
    assert clean.scan_status == bad.scan_status == ScanStatus.PENDING
    assert not clean.is_released
    with pytest.raises(PermissionError):
        clean.open()
    assert services.process_pending_scans() == []  # still away: nothing changes
    assert StoredFile.objects.filter(scan_status=ScanStatus.PENDING).count() == 2

    settings.CLAMD_ADDRESS = clamd
    heard = []
    signals.scan_completed.connect(lambda sender, stored_file, **kw: heard.append(stored_file), weak=False)
    try:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("process_pending_scans", stdout=out)
    finally:
        signals.scan_completed.receivers.clear()
    assert "2 file(s) scanned" in out.getvalue()
    clean.refresh_from_db()
    bad.refresh_from_db()
    assert clean.scan_status == ScanStatus.CLEAN and clean.is_released and clean.scanned_at
    assert bad.scan_status == ScanStatus.INFECTED and not bad.is_released
    assert "SECM.Test.Signature" in bad.scan_signature
    assert not default_storage.exists(bad.storage_key)
    assert default_storage.exists(clean.storage_key)
    rejection = IntakeRejection.objects.get(stored_file=bad)
    assert rejection.code == "infected" and rejection.sha256 == bad.sha256
    assert AuditEvent.objects.filter(action="intake.scanned").count() == 2
    assert {stored.pk for stored in heard} == {clean.pk, bad.pk}
    assert services.process_pending_scans() == []


def test_clamd_dying_mid_scan_is_unavailable_not_clean(settings, tmp_path):
    """A server that accepts and closes without answering: the file stays pending (nothing unscanned released)."""
    import socket
    import threading

    path = tmp_path / "fake.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def accept_and_close():
        connection, _ = server.accept()
        connection.recv(10)
        connection.close()

    thread = threading.Thread(target=accept_and_close)
    thread.start()
    settings.CLAMD_ADDRESS = f"unix:{path}"
    try:
        stored = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    finally:
        thread.join(5)
        server.close()
    assert stored.scan_status == ScanStatus.PENDING


def test_a_pending_file_clamd_cannot_scan_is_refused_later(
    clamd, settings, tmp_path, django_capture_on_commit_callbacks
):
    path = write_large_pdf(tmp_path / "big.pdf", 10 * 1024 * 1024)  # over this clamd's StreamMaxLength (8M)
    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'nowhere.sock'}"
    settings.INTAKE_RELEASE_UNSCANNED = True
    with open(path, "rb") as file:
        stored = services.receive(file, policy="deposit", original_name="big.pdf").stored_file
    assert stored.scan_status == ScanStatus.PENDING
    settings.CLAMD_ADDRESS = clamd
    with django_capture_on_commit_callbacks(execute=True):
        assert services.process_pending_scans() == [stored]
    stored.refresh_from_db()
    assert stored.scan_status == ScanStatus.NOT_SCANNED and not stored.is_released
    assert not default_storage.exists(stored.storage_key)
    assert IntakeRejection.objects.get(stored_file=stored).code == "not_scanned"
