"""Proofs of deposit: the PDF, its embedded facts, its signature, and offline verification."""

import datetime
import errno
import hashlib
import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.utils import translation

from conftest import require_service
from eservices.evidence import receipts, services
from eservices.evidence.models import DepositReceipt
from eservices.identity.tests.factories import UserFactory
from eservices.signing.testing import LocalTSA


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


FILES = {"Conclusions de Mme Dvořák-Łukasiewicz.pdf": b"%PDF-1.7 first file", "Tableau.xlsx": b"PK second file"}


def make_facts(number="DEP-2026-000001"):
    return {
        "format": receipts.FORMAT,
        "deposit_number": number,
        "accepted_at": "2026-03-02T14:05:09+01:00",
        "depositor": {"name": "Zoë Ñúñez-Dvořák", "capacity": "lawyer"},
        "case_file": "SECM/2026/000042",
        "addressee_unit": {"code": "SECM", "name_fr": "Service d'évaluation", "name_nl": "Dienst voor evaluatie"},
        "message_sha256": hashlib.sha256(b"Bonjour, ci-joint mes conclusions.").hexdigest(),
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "media_type": "x"}
            for name, data in FILES.items()
        ],
    }


def signed_receipt(language="fr"):
    subject = UserFactory()
    receipt = services.create_receipt(
        subject=subject,
        number=f"DEP-2026-{subject.pk:06d}",
        facts=make_facts(f"DEP-2026-{subject.pk:06d}"),
        language=language,
        accepted_at=datetime.datetime.now(datetime.UTC),
    )
    assert services.sign_receipt(receipt)
    receipt.refresh_from_db()
    return receipt, receipt.pdf.read()


def poppler(name):
    """The full path of one of poppler's tools (Debian poppler-utils, installed by .ci/system-packages)."""
    path = shutil.which(name)
    if not path:
        require_service(f"poppler-utils ({name})")
    return path


def pdf_text(pdf):
    return subprocess.run([poppler("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def flip(data, index):
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


@pytest.mark.django_db
def test_a_signed_receipt_with_its_files_verifies():
    receipt, pdf = signed_receipt()
    assert receipt.status == DepositReceipt.Status.SIGNED
    assert receipt.sha256 == hashlib.sha256(pdf).hexdigest()
    result = services.verify_receipt(pdf, [(name, [data]) for name, data in FILES.items()])
    assert result.ok, [check.message for check in result.failed]
    assert result.facts["deposit_number"] == receipt.number
    assert {check.name for check in result.checks} >= {"signature", "trusted", "platform", "timestamp", "facts"}


@pytest.mark.django_db
def test_one_changed_byte_of_a_file_is_found():
    _receipt, pdf = signed_receipt()
    name, data = next(iter(FILES.items()))
    result = services.verify_receipt(pdf, [(name, [flip(data, 3)])])
    assert not result.ok
    assert [check.name for check in result.failed] == ["file"]


@pytest.mark.django_db
def test_one_changed_byte_of_the_receipt_is_found():
    _receipt, pdf = signed_receipt()
    result = services.verify_receipt(flip(pdf, len(pdf) // 4))
    assert not result.ok
    assert "signature" in {check.name for check in result.failed} or "trusted" in {c.name for c in result.failed}


@pytest.mark.django_db
def test_the_facts_are_embedded_as_json():
    _receipt, pdf = signed_receipt()
    assert receipts.read_facts(pdf) == make_facts(receipts.read_facts(pdf)["deposit_number"])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_receipt_reads_in_two_languages_with_every_accent(language):
    _receipt, pdf = signed_receipt(language)
    text = pdf_text(pdf)
    assert "Zoë Ñúñez-Dvořák" in text
    assert "Dvořák-Łukasiewicz" in text
    assert "2026-03-02 14:05:09 (Europe/Brussels)" in text
    expected = {
        "fr": ("Preuve de dépôt", "Bewijs van indiening"),
        "nl": ("Bewijs van indiening", "Preuve de dépôt"),
    }
    for title in expected.get(language, ("Preuve de dépôt",)):
        assert title in text


@pytest.mark.django_db
def test_the_receipt_states_that_the_capacity_was_declared_by_the_depositor():
    """Nobody checked the capacity (issue 11): the receipt says, in both languages, that the
    depositor declared it (its JSON too: ``deposits/tests/test_submit.py``)."""
    _receipt, pdf = signed_receipt("fr")
    text = " ".join(pdf_text(pdf).split())
    assert "Qualité (déclarée par le déposant)" in text
    assert "Hoedanigheid (verklaard door de indiener)" in text


@pytest.mark.django_db
def test_pdfsig_reports_the_signature_valid_and_intact(tmp_path):
    pdfsig = poppler("pdfsig")
    _receipt, pdf = signed_receipt()
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([pdfsig, str(path)], capture_output=True, text=True).stdout
    seal, _, timestamp = output.partition("Signature #2")
    assert "Signature Validation: Signature is Valid." in seal
    # PAdES B-LTA: the seal covers its revision; the validation data and the document timestamp follow it.
    assert "Signature #2" in output and "Timestamp" in timestamp
    path.write_bytes(flip(pdf, len(pdf) // 4))
    output = subprocess.run([pdfsig, str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in output


@pytest.mark.django_db
def test_verify_receipt_command_exit_codes(tmp_path):
    _receipt, pdf = signed_receipt()
    (tmp_path / "receipt.pdf").write_bytes(pdf)
    paths = []
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    out = io.StringIO()
    call_command("verify_receipt", str(tmp_path / "receipt.pdf"), *paths, stdout=out, stderr=io.StringIO())
    assert "Verification passed." in out.getvalue()

    (tmp_path / "changed.xlsx").write_bytes(flip(FILES["Tableau.xlsx"], 2))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "verify_receipt",
            str(tmp_path / "receipt.pdf"),
            str(tmp_path / "changed.xlsx"),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert exit_info.value.code == 1
    assert "FAIL file: changed.xlsx does not match" in err.getvalue()

    (tmp_path / "tampered.pdf").write_bytes(flip(pdf, len(pdf) // 4))
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_receipt", str(tmp_path / "tampered.pdf"), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 1


@pytest.mark.django_db
def test_a_receipt_waits_when_the_tsa_is_down_and_states_both_times_when_signed(settings):
    subject = UserFactory()
    accepted = datetime.datetime(2026, 3, 2, 13, 5, 9, tzinfo=datetime.UTC)
    receipt = services.create_receipt(
        subject=subject,
        number="DEP-2026-999999",
        facts=make_facts("DEP-2026-999999"),
        language="fr",
        accepted_at=accepted,
    )
    stamper = services.signing.timestamper()
    with LocalTSA(stamper, fail=True) as url:
        settings.SIGNING_TSA_URL = url
        assert not services.sign_receipt(receipt)
    receipt.refresh_from_db()
    assert receipt.status == DepositReceipt.Status.PENDING and receipt.attempts == 1 and receipt.last_error
    with LocalTSA(stamper) as url:
        settings.SIGNING_TSA_URL = url
        assert services.sign_receipt(receipt)
    receipt.refresh_from_db()
    assert receipt.status == DepositReceipt.Status.SIGNED and receipt.delayed
    pdf = receipt.pdf.read()
    result = services.verify_receipt(pdf)
    assert result.ok
    assert result.facts["accepted_at"] == "2026-03-02T14:05:09+01:00"
    text = pdf_text(pdf)
    assert "2026-03-02 14:05:09 (Europe/Brussels)" in text
    assert "Preuve émise le" in text


@pytest.mark.django_db
def test_a_full_disk_keeps_the_receipt_pending_as_storage_full_not_a_signing_failure(monkeypatch, caplog):
    """A real full disk cannot be made here: the storage writes half of the PDF, then raises ENOSPC as the kernel
    would. Before, a truncated receipt stayed on disk and the log blamed the signing service."""
    save = FileSystemStorage._save

    def half_then_full(storage, name, content):
        save(storage, name, ContentFile(content.read()[:1000]))
        raise OSError(errno.ENOSPC, "No space left on device")

    subject = UserFactory()
    receipt = services.create_receipt(
        subject=subject,
        number="DEP-2026-888888",
        facts=make_facts("DEP-2026-888888"),
        language="fr",
        accepted_at=datetime.datetime.now(datetime.UTC),
    )
    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    assert not services.sign_receipt(receipt)
    receipt.refresh_from_db()
    assert receipt.status == DepositReceipt.Status.PENDING and receipt.last_error.startswith("storage full")
    assert not default_storage.exists("receipts") or default_storage.listdir("receipts")[1] == []
    assert "storage full" in caplog.text and "not signed" not in caplog.text
