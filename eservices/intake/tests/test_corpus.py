"""Every file of the corpus through the whole pipeline: verdict, reason, and what is left behind."""

import hashlib
import zipfile

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation

from eservices.audit.models import AuditEvent
from eservices.intake import services
from eservices.intake.models import IntakeRejection, ScanStatus, StoredFile
from eservices.intake.reasons import MESSAGES
from eservices.intake.tests.corpus import CASES, build

pytestmark = pytest.mark.django_db


def receive_path(path, policy, **kwargs):
    with open(path, "rb") as file:
        return services.receive(File(file, name=path.name), policy=policy, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[case.filename for case in CASES])
def test_corpus_file(case, tmp_path, request, settings):
    if case.needs_clamd:
        request.getfixturevalue("clamd")
    path = build(case, tmp_path / "corpus")
    result = receive_path(path, case.policy)
    if case.expect is None:
        assert result.accepted, f"{case.filename} refused: {result.code}"
        stored = result.stored_file
        assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert stored.size == path.stat().st_size
        assert stored.storage_key.startswith("intake/") and case.filename not in stored.storage_key
        assert stored.display_name == case.filename
        assert stored.scan_status == ScanStatus.NOT_SCANNED
        with default_storage.open(stored.storage_key, "rb") as saved:
            assert hashlib.sha256(saved.read()).hexdigest() == stored.sha256
        assert IntakeRejection.objects.count() == 0
    else:
        assert not result.accepted
        assert result.code == case.expect, f"{case.filename}: {result.code} instead of {case.expect}"
        assert StoredFile.objects.count() == 0
        rejection = IntakeRejection.objects.get()
        assert rejection.policy == case.policy and rejection.original_name == case.filename
        event = AuditEvent.objects.get(action="intake.rejected")
        assert event.details["code"] == case.expect
        with translation.override("en"):
            english = result.reason
            assert english.startswith(str(MESSAGES[case.expect])[:20])
        with translation.override("fr"):
            assert result.reason and result.reason != english  # translated
        _, stored_names = default_storage.listdir("intake") if default_storage.exists("intake") else ([], [])
        assert stored_names == []
    assert list((tmp_path / "intake-work").iterdir()) == []


def test_valid_files_are_scanned_clean_by_clamd(clamd, tmp_path):
    for case in [c for c in CASES if c.expect is None]:
        result = receive_path(build(case, tmp_path), case.policy)
        assert result.accepted and result.stored_file.scan_status == ScanStatus.CLEAN, case.filename
        assert result.stored_file.is_released


def test_type_refusal_names_the_accepted_types(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    with translation.override("en"):
        assert receive_path(path, "deposit").reason == (
            "This type of file is not accepted. Accepted types: PDF, Excel (.xlsx), Excel 97-2003 (.xls)."
        )
        assert "Accepted types: PDF." in receive_path(path, "supporting_document").reason


def test_zip_bomb_is_refused_before_any_decompression(tmp_path, monkeypatch):
    case = next(case for case in CASES if case.filename == "zip-bomb.xlsx")
    path = build(case, tmp_path)

    def no_decompression(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    assert receive_path(path, "deposit").code == "unsafe_container"


def test_infected_file_detail_is_kept_as_evidence(clamd, tmp_path):
    case = next(case for case in CASES if case.filename == "eicar-inside.pdf")
    result = receive_path(build(case, tmp_path), "deposit")
    assert result.code == "infected"
    assert "EICAR" in result.rejection.params["signature"]
