"""The platform's signature: PAdES signing of PDF files with an RFC 3161 timestamp, and their validation.

The key and certificate come from a PKCS#12 file (``SIGNING_PKCS12_PATH``); the timestamp from the
time-stamping authority at ``SIGNING_TSA_URL``. Outside production, a missing key is replaced by a demo PKI
(``make_demo_pki``) and a missing TSA URL by an in-process TSA with the demo TSA certificate; the production
profile refuses both. A signature is judged by pyHanko's ``bottom_line`` (intact, valid and trusted) *and* by
the signer being the configured platform certificate *and* by the presence of a valid timestamp.
"""

import asyncio
import concurrent.futures
import dataclasses
import datetime
import io
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from . import pki


def _outside_event_loop(function, *args, **kwargs):
    """Run ``function`` where pyHanko may start its own event loop: here, or in a worker thread when this thread
    already runs one (an ASGI server, a browser-driving test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *args, **kwargs).result()


class SigningUnavailable(Exception):
    """The signer or the time-stamping authority cannot be used now; the caller queues the work."""


@dataclasses.dataclass(frozen=True)
class KeyMaterial:
    signer: signers.SimpleSigner
    certificate: asn1_x509.Certificate
    trust_roots: tuple


def _load_pkcs12(path, passphrase):
    data = Path(path).read_bytes()
    key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode() if passphrase else None)
    return data, key, cert, extra


def _ensure_demo_pki(path):
    """Outside production, make the demo PKI when the configured file does not exist yet."""
    if settings.PRODUCTION or Path(path).exists():
        return
    pki.make_demo_pki(Path(path).parent, settings.SIGNING_PKCS12_PASSPHRASE)


def _to_asn1(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _extra_trust_roots():
    if not settings.SIGNING_TRUST_ROOTS:
        return []
    roots = []
    for _, _, der in pem.unarmor(Path(settings.SIGNING_TRUST_ROOTS).read_bytes(), multiple=True):
        roots.append(asn1_x509.Certificate.load(der))
    return roots


@lru_cache(maxsize=4)
def _key_material(path, passphrase, trust_roots_path, production):
    if not path:
        raise ImproperlyConfigured("SIGNING_PKCS12_PATH is not set.")
    _ensure_demo_pki(path)
    try:
        data, _key, cert, extra = _load_pkcs12(path, passphrase)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"The signing key in {path} cannot be read: {error}") from error
    if production and pki.is_demo_certificate(cert):
        raise ImproperlyConfigured("The production profile refuses the demo signing key.")
    signer = signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=[], passphrase=passphrase.encode() if passphrase else None
    )
    roots = tuple(_to_asn1(c) for c in extra if _is_ca(c)) + tuple(_extra_trust_roots())
    return KeyMaterial(signer=signer, certificate=_to_asn1(cert), trust_roots=roots)


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def key_material():
    """The platform's signer, its certificate and the trust roots, loaded once per configuration."""
    return _key_material(
        settings.SIGNING_PKCS12_PATH,
        settings.SIGNING_PKCS12_PASSPHRASE,
        settings.SIGNING_TRUST_ROOTS,
        settings.PRODUCTION,
    )


@lru_cache(maxsize=4)
def _demo_timestamper(signer_path, passphrase):
    _ensure_demo_pki(signer_path)
    _data, key, cert, extra = _load_pkcs12(Path(signer_path).with_name(pki.TSA_FILE), passphrase)
    der_key = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return DummyTimeStamper(
        tsa_cert=_to_asn1(cert),
        tsa_key=load_private_key_from_pemder_data(der_key, passphrase=None),
        certs_to_embed=[_to_asn1(c) for c in extra],
    )


def timestamper():
    """The configured TSA client; outside production without a URL, the demo's in-process TSA."""
    if settings.SIGNING_TSA_URL:
        if not settings.SIGNING_TSA_URL.startswith(("http://", "https://")):
            raise ImproperlyConfigured("SIGNING_TSA_URL must be an http(s) URL.")
        # pyHanko's own RFC 3161 client, over requests.
        return HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=settings.SIGNING_TSA_TIMEOUT)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The production profile needs SIGNING_TSA_URL.")
    return _demo_timestamper(settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSPHRASE)


def _sign_pdf(pdf_bytes, *, reason, location="Brussels", field_name="ProofOfDeposit"):
    try:
        material = key_material()
        stamper = timestamper()
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        output = signers.PdfSigner(metadata, signer=material.signer, timestamper=stamper).sign_pdf(
            writer, output=io.BytesIO()
        )
    except (ImproperlyConfigured, SigningError, TimestampRequestError, OSError) as error:
        raise SigningUnavailable(str(error)) from error
    return output.getvalue()


def _timestamp_digest(sha256_bytes):
    if len(sha256_bytes) != 32:
        raise ValueError("a SHA-256 digest has 32 bytes")
    try:
        token = asyncio.run(timestamper().async_timestamp(sha256_bytes, "sha256"))
    except (ImproperlyConfigured, TimestampRequestError, OSError) as error:
        raise SigningUnavailable(str(error)) from error
    return token.dump()


def _validation_context():
    material = key_material()
    return ValidationContext(trust_roots=list(material.trust_roots), allow_fetching=False, revocation_mode="soft-fail")


@dataclasses.dataclass
class TimestampCheck:
    ok: bool
    time: datetime.datetime | None


def _check_timestamp_token(token, sha256_bytes):
    try:
        content = cms.ContentInfo.load(token)
        status = asyncio.run(
            validate_tst_signed_data(content["content"], _validation_context(), lambda _algorithm: sha256_bytes)
        )
    except Exception:  # noqa: BLE001 - any malformed token is simply not valid
        return TimestampCheck(ok=False, time=None)
    ok = bool(status.get("intact") and status.get("valid") and status.get("trust_problem_indic") is None)
    return TimestampCheck(ok=ok, time=status.get("timestamp"))


@dataclasses.dataclass
class SignatureCheck:
    """What a verifier needs to know about the signature of a PDF, check by check."""

    present: bool = False
    intact: bool = False
    trusted: bool = False
    platform_certificate: bool = False
    timestamp_valid: bool = False
    signed_at: datetime.datetime | None = None
    timestamp_at: datetime.datetime | None = None
    covers_whole_file: bool = False
    signer: str = ""
    # The timestamp token's TSA (its certificate's subject), serial number and policy (RFC 3161 TSTInfo).
    tsa: str = ""
    timestamp_serial: str = ""
    timestamp_policy: str = ""

    @property
    def ok(self):
        return (
            self.present
            and self.intact
            and self.trusted
            and self.platform_certificate
            and self.timestamp_valid
            and self.covers_whole_file
        )


def _check_pdf_signature(pdf_bytes):
    result = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - not a readable PDF: no signature
        return result
    if not signatures:
        return result
    result.present = True
    embedded = signatures[-1]
    try:
        context = _validation_context()
        status = validate_pdf_signature(embedded, context, ts_validation_context=context)
    except Exception:  # noqa: BLE001 - a broken signature structure fails every check
        return result
    result.intact = bool(status.intact)
    # bottom_line: intact, valid, trusted, and any timestamp present also intact, valid and trusted.
    result.trusted = bool(status.bottom_line)
    result.signer = status.signing_cert.subject.human_friendly
    result.platform_certificate = status.signing_cert.dump() == key_material().certificate.dump()
    timestamp = status.timestamp_validity
    result.timestamp_valid = bool(timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted)
    result.timestamp_at = timestamp.timestamp if timestamp is not None else None
    if timestamp is not None:
        result.tsa = timestamp.signing_cert.subject.human_friendly
        _read_token(embedded.signer_info, result)
    result.signed_at = status.signer_reported_dt
    coverage = embedded.coverage
    result.covers_whole_file = coverage is not None and coverage.name == "ENTIRE_FILE"
    return result


def _read_token(signer_info, result):
    """The serial number and policy of the signature's timestamp token (its TSTInfo), when it has them."""
    try:
        (token,) = [
            attribute["values"][0]
            for attribute in signer_info["unsigned_attrs"]
            if attribute["type"].native == "signature_time_stamp_token"
        ]
        info = token["content"]["encap_content_info"]["content"].parsed
        result.timestamp_serial = str(info["serial_number"].native)
        result.timestamp_policy = info["policy"].dotted
    except Exception:  # noqa: BLE001 - a token without them: the other checks say whether it is valid
        return


def sign_pdf(pdf_bytes, *, reason, location="Brussels", field_name="ProofOfDeposit"):
    """Sign ``pdf_bytes`` (PAdES baseline with a signature timestamp) and return the signed PDF's bytes.

    Raises ``SigningUnavailable`` when the key cannot be used or the TSA does not answer.
    """
    return _outside_event_loop(_sign_pdf, pdf_bytes, reason=reason, location=location, field_name=field_name)


def timestamp_digest(sha256_bytes):
    """An RFC 3161 timestamp token (DER bytes of a CMS ContentInfo) over a SHA-256 digest."""
    return _outside_event_loop(_timestamp_digest, sha256_bytes)


def check_timestamp_token(token, sha256_bytes):
    """Whether ``token`` is a valid, trusted timestamp over ``sha256_bytes``; with the time it states."""
    return _outside_event_loop(_check_timestamp_token, token, sha256_bytes)


def check_pdf_signature(pdf_bytes):
    """Validate the (last) signature of ``pdf_bytes`` offline against the configured trust roots."""
    return _outside_event_loop(_check_pdf_signature, pdf_bytes)
