"""The signing key in an HSM: pyHanko's PKCS#11 signer against SoftHSM2 (Debian ``softhsm2``), the same PKCS#11
interface as a production HSM. Receipts it seals verify offline, and verifying never opens the token."""

import io
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command

from eservices.demo.files import make_pdf
from eservices.evidence import services as evidence
from eservices.evidence.tests.test_receipts import signed_receipt
from eservices.signing import pki, services

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "1234"  # pragma: allowlist secret - a throw-away SoftHSM token's
SO_PIN = "5678"  # pragma: allowlist secret


def softhsm():
    util = shutil.which("softhsm2-util")
    if not util or not MODULE.exists():
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2, installed by .ci/system-packages)")
    return util


@pytest.fixture
def hsm(settings, tmp_path, monkeypatch, demo_pki_dir):
    """A SoftHSM2 token of this test's own holding a platform key issued by the demo CA; the settings use it."""
    import subprocess

    util = softhsm()
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    label = f"secm-{tmp_path.name[-12:]}"
    run = lambda *args: subprocess.run([util, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run("--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN)
    # A new platform key and certificate from the demo CA, its key moved into the token.
    p12 = pki.issue_demo_certificate(demo_pki_dir, "test-passphrase", tmp_path / "hsm.p12", common_name="HSM key")
    key, cert, _extra = pkcs12.load_key_and_certificates(p12.read_bytes(), b"test-passphrase")
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    run("--import", str(key_pem), "--token", label, "--label", "platform", "--id", "01", "--pin", PIN)
    key_pem.unlink()
    p12.unlink()
    certificate = tmp_path / "platform.pem"
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.SIGNING_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = str(MODULE)
    settings.SIGNING_PKCS11_TOKEN_LABEL = label
    settings.SIGNING_PKCS11_PIN = PIN
    settings.SIGNING_PKCS11_KEY_LABEL = "platform"
    settings.SIGNING_PKCS11_RAW_MECHANISM = True  # SoftHSM2 has no CKM_ECDSA_SHA256
    settings.SIGNING_CERTIFICATE = str(certificate)
    settings.SIGNING_TRUST_ROOTS = str(demo_pki_dir / pki.CA_FILE)
    return label


@pytest.mark.django_db
def test_a_receipt_sealed_in_softhsm_verifies_offline(hsm, tmp_path):
    assert services.key_material().signer.__class__.__name__ == "PKCS11Signer"
    _receipt, pdf = signed_receipt()
    check = services.check_pdf_signature(pdf)
    assert check.ok and "HSM key" in check.signer and check.level == "PAdES B-LTA"
    result = evidence.verify_receipt(pdf)  # in the sandbox's child process: from the certificate file, no HSM
    assert result.ok, [c.message for c in result.failed]
    (tmp_path / "receipt.pdf").write_bytes(pdf)
    out = io.StringIO()
    call_command("verify_receipt", str(tmp_path / "receipt.pdf"), stdout=out, stderr=io.StringIO())
    assert "Verification passed." in out.getvalue()


@pytest.mark.django_db
def test_a_wrong_pin_makes_signing_unavailable(hsm, settings):
    settings.SIGNING_PKCS11_PIN = "0000"
    with pytest.raises(services.SigningUnavailable, match="cannot be opened"):
        services.sign_pdf(make_pdf("Reçu"), reason="test")


def test_the_pkcs11_backend_needs_its_settings(settings):
    settings.SIGNING_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = ""
    with pytest.raises(services.SigningUnavailable, match="SIGNING_PKCS11_MODULE"):
        services.sign_pdf(make_pdf("Reçu"), reason="test")
