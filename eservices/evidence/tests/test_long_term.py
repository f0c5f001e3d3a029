"""Evidence that holds in ten years: PAdES B-LTA receipts, renewed archive timestamps, key rotation, and an
independent verifier (poppler's pdfsig with the test trust root)."""

import datetime
import hashlib
import io
import shutil
import subprocess

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from eservices.evidence import services
from eservices.evidence.models import DepositReceipt
from eservices.evidence.tests.test_receipts import FILES, flip, poppler, signed_receipt
from eservices.signing import pki
from eservices.signing import services as signing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def own_pki(settings, tmp_path):
    """A PKI of this test's own (its TSA certificate can be replaced without touching the shared one)."""
    directory = tmp_path / "pki"

    def make(**kwargs):
        pki.make_demo_pki(directory, "own-passphrase", **kwargs)
        settings.SIGNING_PKCS12_PATH = str(directory / pki.SIGNER_FILE)
        settings.SIGNING_PKCS12_PASSPHRASE = "own-passphrase"  # noqa: S105 - a test PKI's # pragma: allowlist secret
        signing._demo_timestamper.cache_clear()
        return directory

    yield make
    signing._demo_timestamper.cache_clear()


def test_a_receipt_reaches_pades_b_lta():
    receipt, pdf = signed_receipt()
    result = services.verify_receipt(pdf, [(name, [data]) for name, data in FILES.items()])
    assert result.ok, [check.message for check in result.failed]
    assert result.signature.level == "PAdES B-LTA"
    (level,) = [check for check in result.checks if check.name == "level"]
    assert "Level reached: PAdES B-LTA." in level.message and "Archive timestamps:" in level.message
    assert receipt.timestamp_expires_at is not None and receipt.timestamp_expires_at > receipt.signed_at


def test_verify_receipt_prints_the_level(tmp_path):
    _receipt, pdf = signed_receipt()
    (tmp_path / "receipt.pdf").write_bytes(pdf)
    out = io.StringIO()
    call_command("verify_receipt", str(tmp_path / "receipt.pdf"), stdout=out, stderr=io.StringIO())
    assert "OK   level: Level reached: PAdES B-LTA." in out.getvalue()


def test_pdfsig_trusts_the_seal_with_the_test_trust_root(tmp_path, demo_pki_dir):
    """An independent verifier: poppler's pdfsig, with the demo CA in its own NSS database."""
    pdfsig = poppler("pdfsig")
    certutil = shutil.which("certutil")
    if not certutil:
        pytest.skip("certutil missing: install libnss3-tools (.ci/system-packages)")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{nss}", "-n", "demo-ca", "-t", "CT,C,C", "-i", str(demo_pki_dir / pki.CA_FILE)],
        check=True,
        capture_output=True,
    )
    _receipt, pdf = signed_receipt()
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([pdfsig, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True).stdout
    seal = output.split("Signature #2")[0]
    assert "Signature Validation: Signature is Valid." in seal
    assert "Certificate Validation: Certificate is Trusted." in seal
    assert "Signature #2" in output  # the document timestamp (pdfsig does not validate that kind)
    path.write_bytes(flip(pdf, len(pdf) // 4))
    output = subprocess.run([pdfsig, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in output.split("Signature #2")[0]


def test_renew_timestamps_restamps_a_receipt_whose_tsa_certificate_nears_expiry_once(own_pki, settings):
    directory = own_pki(tsa_days=30)  # the TSA's certificate ends within the renewal margin (365 days)
    receipt, first = signed_receipt()
    assert receipt.timestamp_expires_at < receipt.signed_at + datetime.timedelta(days=31)
    # The TSA gets a new certificate, as a real one does before the old one ends.
    pki.issue_demo_certificate(directory, "own-passphrase", directory / pki.TSA_FILE, kind="tsa")
    signing._demo_timestamper.cache_clear()

    out = io.StringIO()
    call_command("renew_timestamps", stdout=out)
    assert "1 renewed" in out.getvalue()
    receipt.refresh_from_db()
    renewed = receipt.pdf.read()
    assert renewed.startswith(first) and len(renewed) > len(first)  # an incremental update: the seal untouched
    assert receipt.sha256 == hashlib.sha256(renewed).hexdigest()
    assert receipt.timestamp_expires_at > receipt.signed_at + datetime.timedelta(days=3000)
    result = services.verify_receipt(renewed)
    assert result.ok, [check.message for check in result.failed]
    assert result.signature.level == "PAdES B-LTA"
    assert len(result.signature.archive_timestamps) == 2

    out = io.StringIO()
    call_command("renew_timestamps", stdout=out)  # nothing is due any more
    assert "0 renewed" in out.getvalue()
    settings.SIGNING_RENEW_TIMESTAMP_DAYS = 365 * 30  # everything is "due": still not stamped twice a day
    out = io.StringIO()
    call_command("renew_timestamps", stdout=out)
    assert "0 renewed, 1 already renewed" in out.getvalue()
    receipt.refresh_from_db()
    assert receipt.pdf.read() == renewed


def test_renew_timestamps_keeps_the_receipt_when_the_tsa_is_down(own_pki, settings):
    own_pki(tsa_days=30)
    receipt, first = signed_receipt()
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(SystemExit) as exit_:
        call_command("renew_timestamps", stdout=io.StringIO())
    assert exit_.value.code == 1
    receipt.refresh_from_db()
    assert receipt.pdf.read() == first


def test_a_receipt_sealed_before_a_key_rotation_still_verifies_as_the_platforms(own_pki, settings):
    directory = own_pki()
    _receipt, pdf = signed_receipt()
    # Rotation: a new key and certificate from the CA; the old certificate goes in the list of previous ones.
    new = pki.issue_demo_certificate(directory, "own-passphrase", directory / "signer-2027.p12")
    previous = directory / "previous-certificates.pem"
    previous.write_bytes(pki.certificate_pem(directory / pki.SIGNER_FILE, "own-passphrase"))
    settings.SIGNING_PKCS12_PATH = str(new)

    result = services.verify_receipt(pdf)
    assert [check.name for check in result.failed] == ["platform"]  # trusted CA, but not the platform's key now

    settings.SIGNING_PREVIOUS_CERTIFICATES = str(previous)
    result = services.verify_receipt(pdf)
    assert result.ok, [check.message for check in result.failed]
    (platform,) = [check for check in result.checks if check.name == "platform"]
    assert platform.message == "The receipt was sealed with a previous certificate of the platform."
    # New receipts carry the new certificate, and verify too.
    _receipt, after = signed_receipt()
    assert services.verify_receipt(after).ok
    assert signing.check_pdf_signature(after).previous_certificate is False
    # The public page says the same.
    page = Client(REMOTE_ADDR="10.77.0.1").post("/en/verify/", {"receipt": SimpleUploadedFile("r.pdf", pdf)})
    html = page.content.decode()
    assert "This proof of deposit is genuine." in html
    assert "previous certificate of the platform" in html


def test_the_renewal_margin_selects_receipts(own_pki, settings):
    own_pki()
    receipt, _pdf = signed_receipt()
    assert receipt.status == DepositReceipt.Status.SIGNED
    assert receipt not in services.receipts_to_renew()
    settings.SIGNING_RENEW_TIMESTAMP_DAYS = 365 * 11
    assert receipt in services.receipts_to_renew()


def test_after_its_tsa_certificate_expired_only_a_renewed_receipt_verifies(own_pki):
    """The point of B-LTA: each archive timestamp proves the one before at a time its certificate was valid."""
    directory = own_pki(tsa_days=30)
    _receipt, stale = signed_receipt()
    renewed_receipt, _first = signed_receipt()
    pki.issue_demo_certificate(directory, "own-passphrase", directory / pki.TSA_FILE, kind="tsa")
    signing._demo_timestamper.cache_clear()
    assert services.renew_timestamp(renewed_receipt) == "renewed"
    renewed_receipt.refresh_from_db()
    renewed = renewed_receipt.pdf.read()
    # In this process (the verification's child process would not travel in time).
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)):
        check = signing.check_pdf_signature(stale)
        assert check.intact and not check.trusted and not check.ok and check.level == ""
        check = signing.check_pdf_signature(renewed)
        assert check.ok and check.level == "PAdES B-LTA"
