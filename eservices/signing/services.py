"""The platform's signature: PAdES B-LTA signing of PDF files (a signature timestamp, the validation data in the
document security store, a document timestamp), archive timestamps, and their validation.

The key and certificate come from a PKCS#12 file (``SIGNING_PKCS12_PATH``) or, in production, from an HSM through
PKCS#11 (``SIGNING_BACKEND=pkcs11``); the timestamp from the time-stamping authority at ``SIGNING_TSA_URL``.
Outside production, a missing key is replaced by a demo PKI (``make_demo_pki``) and a missing TSA URL by an
in-process TSA with the demo TSA certificate; the production profile refuses both. A signature is judged by
pyHanko's ``bottom_line`` (intact, valid and trusted) *and* by the signer being the platform's certificate, now or
before a rotation (``SIGNING_PREVIOUS_CERTIFICATES``), *and* by the presence of a valid timestamp. Each archive
(document) timestamp is validated at the time of the next one, the last one now: this is what keeps a receipt
verifiable after its certificates expired.
"""

import asyncio
import concurrent.futures
import dataclasses
import datetime
import io
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, crl, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
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
    signer: signers.Signer
    certificate: asn1_x509.Certificate
    trust_roots: tuple
    # The platform's certificates before a rotation (SIGNING_PREVIOUS_CERTIFICATES): receipts they sealed are still
    # the platform's.
    previous: tuple = ()


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


def _pem_certificates(path):
    """The certificates of a PEM file (several allowed); none for an empty path."""
    if not path:
        return []
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"{path} cannot be read: {error}") from error
    return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]


def _extra_trust_roots():
    return _pem_certificates(settings.SIGNING_TRUST_ROOTS)


def _pkcs12_material(path, passphrase, production):
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
    return signer, _to_asn1(cert), tuple(_to_asn1(c) for c in extra if _is_ca(c))


@lru_cache(maxsize=4)
def _pkcs11_session(module, token_label, pin):
    """One PKCS#11 session per process and configuration (the HSM's login is costly)."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as pyhanko_pkcs11  # python-pkcs11: imported only when the HSM is used

    try:
        return pyhanko_pkcs11.open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except Exception as error:  # noqa: BLE001 - python-pkcs11 raises many kinds: all mean the HSM is unusable
        raise ImproperlyConfigured(f"The HSM token {token_label!r} cannot be opened: {error!r}") from error


def _pkcs11_material(production):
    from pyhanko.sign import pkcs11 as pyhanko_pkcs11

    if not (settings.SIGNING_PKCS11_MODULE and settings.SIGNING_PKCS11_TOKEN_LABEL):
        raise ImproperlyConfigured("SIGNING_BACKEND=pkcs11 needs SIGNING_PKCS11_MODULE and SIGNING_PKCS11_TOKEN_LABEL.")
    certificate = _pkcs11_certificate()
    session = _pkcs11_session(
        settings.SIGNING_PKCS11_MODULE, settings.SIGNING_PKCS11_TOKEN_LABEL, settings.SIGNING_PKCS11_PIN or None
    )
    try:
        signer = pyhanko_pkcs11.PKCS11Signer(
            session,
            key_label=settings.SIGNING_PKCS11_KEY_LABEL,
            signing_cert=certificate,
            other_certs_to_pull=(),
            use_raw_mechanism=settings.SIGNING_PKCS11_RAW_MECHANISM,
        )
    except Exception as error:  # noqa: BLE001 - a missing key on the token
        raise ImproperlyConfigured(f"The HSM has no usable signing key: {error!r}") from error
    if production and pki.is_demo_certificate(_from_asn1(certificate)):
        raise ImproperlyConfigured("The production profile refuses the demo signing key.")
    return signer, certificate, ()


HSM_SETTINGS = (
    "SIGNING_PKCS11_MODULE",
    "SIGNING_PKCS11_TOKEN_LABEL",
    "SIGNING_PKCS11_PIN",
    "SIGNING_PKCS11_KEY_LABEL",
    "SIGNING_PKCS11_RAW_MECHANISM",
    "SIGNING_CERTIFICATE",
)


def _pkcs11_certificate():
    """The HSM key's certificate, from ``SIGNING_CERTIFICATE`` (PEM): verifying never opens the HSM."""
    certificates = _pem_certificates(settings.SIGNING_CERTIFICATE)
    if len(certificates) != 1:
        raise ImproperlyConfigured("SIGNING_BACKEND=pkcs11 needs SIGNING_CERTIFICATE: one PEM certificate.")
    return certificates[0]


def _from_asn1(certificate):
    return x509.load_der_x509_certificate(certificate.dump())


@lru_cache(maxsize=4)
def _key_material(backend, path, passphrase, trust_roots_path, previous_path, production, hsm):
    if backend == "pkcs11":
        signer, certificate, roots = _pkcs11_material(production)
    elif backend == "pkcs12":
        signer, certificate, roots = _pkcs12_material(path, passphrase, production)
    else:
        raise ImproperlyConfigured(f"SIGNING_BACKEND must be pkcs12 or pkcs11, not {backend!r}.")
    roots = roots + tuple(_pem_certificates(trust_roots_path))
    previous = tuple(_pem_certificates(previous_path))
    return KeyMaterial(signer=signer, certificate=certificate, trust_roots=roots, previous=previous)


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def key_material():
    """The platform's signer, its certificate and the trust roots, loaded once per configuration."""
    return _key_material(
        settings.SIGNING_BACKEND,
        settings.SIGNING_PKCS12_PATH,
        settings.SIGNING_PKCS12_PASSPHRASE,
        settings.SIGNING_TRUST_ROOTS,
        settings.SIGNING_PREVIOUS_CERTIFICATES,
        settings.PRODUCTION,
        # The HSM's settings, so that a change of any of them loads the key anew.
        tuple(getattr(settings, name) for name in HSM_SETTINGS) if settings.SIGNING_BACKEND == "pkcs11" else (),
    )


def verifier_material():
    """The platform's certificates and trust roots, for verifying: with an HSM, without opening it."""
    if settings.SIGNING_BACKEND == "pkcs11":
        return KeyMaterial(
            signer=None,
            certificate=_pkcs11_certificate(),
            trust_roots=tuple(_extra_trust_roots()),
            previous=tuple(_pem_certificates(settings.SIGNING_PREVIOUS_CERTIFICATES)),
        )
    return key_material()


def _revocation_lists():
    """The CRLs to embed and to check against, offline: ``SIGNING_CRLS`` (PEM or DER files, comma-separated)
    and, outside production, the demo CA's CRL beside the PKCS#12 file."""
    paths = [Path(item.strip()) for item in settings.SIGNING_CRLS.split(",") if item.strip()]
    if not settings.PRODUCTION and settings.SIGNING_PKCS12_PATH:
        demo = Path(settings.SIGNING_PKCS12_PATH).with_name(pki.CRL_FILE)
        if demo.exists():
            paths.append(demo)
    lists = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            lists += [crl.CertificateList.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            lists.append(crl.CertificateList.load(data))
    return lists


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
        # PAdES B-LTA: the validation data (chain and revocation data) goes in the DSS, then a document timestamp.
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=_signing_validation_context(),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        output = signers.PdfSigner(metadata, signer=material.signer, timestamper=stamper).sign_pdf(
            writer, output=io.BytesIO()
        )
    except (ImproperlyConfigured, SigningError, TimestampRequestError, OSError) as error:
        raise SigningUnavailable(str(error)) from error
    return output.getvalue()


def _renew_archive_timestamp(pdf_bytes):
    """Add the last timestamp's validation data and a new document timestamp (PAdES B-LTA renewal)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        stamper = signers.PdfTimeStamper(timestamper())
        output = stamper.update_archival_timestamp_chain(
            reader, _signing_validation_context(), in_place=False, output=io.BytesIO()
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


def _signing_validation_context():
    """What collects the validation data embedded at signing: the trust roots, the configured CRLs, and online
    fetching of revocation data (OCSP, CRL) only when ``SIGNING_FETCH_REVOCATION`` allows it."""
    material = key_material()
    return ValidationContext(
        trust_roots=list(material.trust_roots),
        other_certs=list(material.previous),
        crls=_revocation_lists(),
        allow_fetching=settings.SIGNING_FETCH_REVOCATION,
        revocation_mode="soft-fail",
    )


def _validation_context(moment=None):
    """Offline validation (no fetching), at ``moment`` (an archive timestamp's time) or now."""
    material = verifier_material()
    return ValidationContext(
        trust_roots=list(material.trust_roots),
        crls=_revocation_lists(),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
        retroactive_revinfo=moment is not None,
    )


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


# PAdES baseline levels (ETSI EN 319 142-1), from the weakest.
LEVELS = ("PAdES B-B", "PAdES B-T", "PAdES B-LT", "PAdES B-LTA")


@dataclasses.dataclass
class SignatureCheck:
    """What a verifier needs to know about the signature of a PDF, check by check."""

    present: bool = False
    intact: bool = False
    trusted: bool = False
    platform_certificate: bool = False
    # Sealed with a platform certificate of before a rotation (listed in SIGNING_PREVIOUS_CERTIFICATES).
    previous_certificate: bool = False
    timestamp_valid: bool = False
    signed_at: datetime.datetime | None = None
    timestamp_at: datetime.datetime | None = None
    # Nothing was added after the seal but validation data and document timestamps (PAdES B-LTA updates).
    covers_whole_file: bool = False
    signer: str = ""
    # The timestamp token's TSA (its certificate's subject), serial number and policy (RFC 3161 TSTInfo).
    tsa: str = ""
    timestamp_serial: str = ""
    timestamp_policy: str = ""
    # The PAdES level reached ("" when not even B-B), the archive (document) timestamps' times, whether they are
    # all valid, and when the last one's TSA certificate expires (the receipt must be re-stamped before).
    level: str = ""
    archive_timestamps: list = dataclasses.field(default_factory=list)
    archive_timestamps_valid: bool = False
    last_timestamp_expires: datetime.datetime | None = None

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


def _dss_context_kwargs(reader, moment):
    """Validation context arguments with the validation data the PDF carries in its DSS (certificates, CRLs,
    OCSP responses): years later, the CA's revocation service may be gone."""
    material = verifier_material()
    kwargs = {
        "trust_roots": list(material.trust_roots),
        "crls": _revocation_lists(),
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        "moment": moment,
        "retroactive_revinfo": True,
    }
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS (a B-T receipt): the configured data only
        return kwargs, False
    revocation_data = bool(dss.crls or dss.ocsps)
    return kwargs, (dss, revocation_data)


def _context(reader, moment):
    kwargs, dss = _dss_context_kwargs(reader, moment)
    if dss:
        return dss[0].as_validation_context(kwargs), dss[1]
    return ValidationContext(**kwargs), False


def _certificate_expiry(certificate):
    return certificate["tbs_certificate"]["validity"]["not_after"].native


def _check_archive_timestamps(reader, result):
    """Validate the document timestamps from the last (now) back to the first (each at the next one's time).
    Returns the time of the first one (the moment the signature is proven to have existed, with its data)."""
    stamps = reader.embedded_timestamp_signatures
    if not stamps:
        return None
    moment = None
    all_valid = True
    times = []
    for index, stamp in enumerate(reversed(stamps)):
        context, _revocation = _context(reader, moment)
        status = validate_pdf_timestamp(stamp, context)
        valid = bool(status.intact and status.valid and status.trusted)
        if index == 0:
            result.last_timestamp_expires = _certificate_expiry(status.signing_cert)
            valid = valid and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        all_valid = all_valid and valid
        times.append(status.timestamp)
        moment = status.timestamp
    result.archive_timestamps = sorted(times)
    result.archive_timestamps_valid = all_valid
    return moment if all_valid else None


def _check_pdf_signature(pdf_bytes):
    result = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # noqa: BLE001 - not a readable PDF: no signature
        return result
    if not signatures:
        return result
    result.present = True
    embedded = signatures[-1]
    try:
        # The signature is judged at the time of the first valid archive timestamp when there is one (its
        # certificates may have expired since), now otherwise.
        proven_at = _check_archive_timestamps(reader, result)
        context, revocation_data = _context(reader, proven_at)
        status = validate_pdf_signature(embedded, context, ts_validation_context=context)
    except Exception:  # noqa: BLE001 - a broken signature structure fails every check
        return result
    result.intact = bool(status.intact)
    # bottom_line: intact, valid, trusted, and any timestamp present also intact, valid and trusted.
    result.trusted = bool(status.bottom_line)
    result.signer = status.signing_cert.subject.human_friendly
    material = verifier_material()
    signer_der = status.signing_cert.dump()
    result.previous_certificate = any(signer_der == cert.dump() for cert in material.previous)
    result.platform_certificate = signer_der == material.certificate.dump() or result.previous_certificate
    timestamp = status.timestamp_validity
    result.timestamp_valid = bool(timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted)
    result.timestamp_at = timestamp.timestamp if timestamp is not None else None
    if timestamp is not None:
        result.tsa = timestamp.signing_cert.subject.human_friendly
        _read_token(embedded.signer_info, result)
    result.signed_at = status.signer_reported_dt
    # The whole file, or only validation data and document timestamps added after it (pyHanko's difference
    # analysis: anything else, such as a changed page or catalogue, is a higher modification level).
    coverage = embedded.coverage
    result.covers_whole_file = coverage is not None and (
        coverage.name == "ENTIRE_FILE"
        or (
            coverage.name == "ENTIRE_REVISION"
            and status.docmdp_ok is not False
            and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        )
    )
    result.level = _level(result, reader, revocation_data, embedded)
    return result


def _level(result, reader, revocation_data, embedded):
    """The PAdES baseline level reached: B-B (a valid, trusted signature), B-T (and a signature timestamp), B-LT
    (and the validation data with revocation data in the DSS), B-LTA (and valid document timestamps over it)."""
    if not (result.intact and result.trusted and result.covers_whole_file):
        return ""
    if not result.timestamp_valid:
        return LEVELS[0]
    if not revocation_data:
        return LEVELS[1]
    stamps_after = [
        stamp for stamp in reader.embedded_timestamp_signatures if stamp.signed_revision > embedded.signed_revision
    ]
    if stamps_after and result.archive_timestamps_valid:
        return LEVELS[3]
    return LEVELS[2]


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


def renew_archive_timestamp(pdf_bytes):
    """Add a new document timestamp (and the validation data of the last one) to a signed PDF: done before the
    last timestamp's certificate expires, it keeps the proof verifiable (PAdES B-LTA)."""
    return _outside_event_loop(_renew_archive_timestamp, pdf_bytes)


@dataclasses.dataclass(frozen=True)
class LastTimestamp:
    """The last timestamp of a signed PDF (a document timestamp, else the signature's): its time and when its
    TSA certificate expires. Read without validating: for deciding when to renew, not for trusting."""

    time: datetime.datetime | None
    expires: datetime.datetime | None
    archive: bool  # a document timestamp (PAdES B-LTA) rather than only the signature's


def last_timestamp(pdf_bytes):
    """The last timestamp of ``pdf_bytes`` (see ``LastTimestamp``); ``None`` without any."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    stamps = reader.embedded_timestamp_signatures
    if stamps:
        stamp = stamps[-1]
        info = stamp.signed_data["encap_content_info"]["content"].parsed
        return LastTimestamp(info["gen_time"].native, _certificate_expiry(stamp.signer_cert), archive=True)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return None
    try:
        (token,) = [
            attribute["values"][0]
            for attribute in signatures[-1].signer_info["unsigned_attrs"]
            if attribute["type"].native == "signature_time_stamp_token"
        ]
    except (KeyError, ValueError, TypeError):
        return None
    signed = token["content"]
    info = signed["encap_content_info"]["content"].parsed
    serial = signed["signer_infos"][0]["sid"]
    expires = None
    for choice in signed["certificates"]:
        certificate = choice.chosen
        if (
            serial.name == "issuer_and_serial_number"
            and certificate.serial_number == serial.chosen["serial_number"].native
        ):
            expires = _certificate_expiry(certificate)
    return LastTimestamp(info["gen_time"].native, expires, archive=False)
