"""PAdES signing with a timestamp, judged by bottom_line, the platform certificate and the timestamp."""

import hashlib
import io

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from eservices.demo.files import make_pdf
from eservices.signing import pki, services
from eservices.signing.testing import LocalTSA


def flip(data, index):
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def test_a_signed_pdf_is_intact_trusted_timestamped_and_by_the_platform():
    signed = services.sign_pdf(make_pdf("Reçu", ["Dépôt"]), reason="test")
    check = services.check_pdf_signature(signed)
    assert check.ok
    assert check.intact and check.trusted and check.platform_certificate and check.timestamp_valid
    assert check.timestamp_at is not None
    assert "SECM eServices platform" in check.signer


def test_one_changed_byte_in_the_signed_range_breaks_the_signature():
    signed = services.sign_pdf(make_pdf("Reçu", ["Dépôt"]), reason="test")
    check = services.check_pdf_signature(flip(signed, 200))  # inside the first page's objects
    assert not check.ok
    assert not check.trusted


def test_an_update_appended_after_signing_is_not_covered():
    signed = services.sign_pdf(make_pdf("Reçu"), reason="test")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("nl")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    check = services.check_pdf_signature(output.getvalue())
    assert check.present and not check.covers_whole_file and not check.ok


@pytest.fixture
def other_signed_pdf(settings, tmp_path):
    settings.SIGNING_PKCS12_PATH = str(pki.make_demo_pki(tmp_path / "other", "other"))
    settings.SIGNING_PKCS12_PASSPHRASE = "other"
    return services.sign_pdf(make_pdf("Faux"), reason="forgery")


def test_a_pdf_signed_by_another_ca_is_refused(other_signed_pdf, settings, demo_pki_dir):
    settings.SIGNING_PKCS12_PATH = str(demo_pki_dir / "signer.p12")
    settings.SIGNING_PKCS12_PASSPHRASE = "test-passphrase"
    check = services.check_pdf_signature(other_signed_pdf)
    assert check.present and check.intact
    assert not check.trusted and not check.platform_certificate and not check.ok


def test_an_unsigned_or_unreadable_file_has_no_signature():
    assert not services.check_pdf_signature(make_pdf("Rien")).present
    assert not services.check_pdf_signature(b"not a pdf").present


def test_signing_over_http_with_a_real_local_tsa(settings):
    """Integration: the TSA is pyHanko's timestamper behind a real HTTP server on a free port (signing.testing)."""
    tsa = LocalTSA(services.timestamper())
    with tsa as url:
        settings.SIGNING_TSA_URL = url
        signed = services.sign_pdf(make_pdf("Reçu"), reason="test")
    assert tsa.requests >= 1
    assert services.check_pdf_signature(signed).ok


def test_a_failing_tsa_makes_signing_unavailable(settings):
    with LocalTSA(services.timestamper(), fail=True) as url:
        settings.SIGNING_TSA_URL = url
        with pytest.raises(services.SigningUnavailable):
            services.sign_pdf(make_pdf("Reçu"), reason="test")


def test_an_unreachable_tsa_makes_signing_unavailable(settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing listens
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(services.SigningUnavailable):
        services.sign_pdf(make_pdf("Reçu"), reason="test")


def test_timestamp_digest_gives_a_token_over_that_digest():
    digest = hashlib.sha256(b"checkpoint").digest()
    token = services.timestamp_digest(digest)
    assert services.check_timestamp_token(token, digest).ok
    assert not services.check_timestamp_token(token, hashlib.sha256(b"other").digest()).ok
    assert not services.check_timestamp_token(b"garbage", digest).ok
    with pytest.raises(ValueError):
        services.timestamp_digest(b"short")


def test_the_production_profile_refuses_the_demo_key(settings):
    settings.PRODUCTION = True
    with pytest.raises(services.SigningUnavailable, match="demo"):
        services.sign_pdf(make_pdf("Reçu"), reason="test")


def test_the_production_profile_needs_a_tsa_url(settings, tmp_path):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="SIGNING_TSA_URL"):
        services.timestamper()


def test_make_demo_pki_writes_the_files_once(settings, tmp_path):
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "pki" / "signer.p12")
    call_command("make_demo_pki", stdout=io.StringIO())
    first = (tmp_path / "pki" / "signer.p12").read_bytes()
    call_command("make_demo_pki", stdout=io.StringIO())
    assert (tmp_path / "pki" / "signer.p12").read_bytes() == first
    assert (tmp_path / "pki" / "demo-tsa.p12").exists()


def test_a_timestamp_from_an_untrusted_tsa_is_refused(settings, tmp_path, demo_pki_dir):
    digest = hashlib.sha256(b"checkpoint").digest()
    settings.SIGNING_PKCS12_PATH = str(pki.make_demo_pki(tmp_path / "other", "other"))
    settings.SIGNING_PKCS12_PASSPHRASE = "other"
    token = services.timestamp_digest(digest)
    assert services.check_timestamp_token(token, digest).ok  # trusted by the other PKI
    settings.SIGNING_PKCS12_PATH = str(demo_pki_dir / "signer.p12")
    settings.SIGNING_PKCS12_PASSPHRASE = "test-passphrase"
    assert not services.check_timestamp_token(token, digest).ok
