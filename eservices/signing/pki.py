"""The demo and test PKI: a CA, the platform's signing certificate and a time-stamping authority's certificate.

Everything here is for the demo and the tests: the subjects carry ``DEMO_MARKER`` so that the production profile
can refuse them. Production uses a PKCS#12 file issued by a real CA and a real TSA.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARKER = "DEMO - not for production"
SIGNER_FILE = "signer.p12"
TSA_FILE = "demo-tsa.p12"
# The demo CA's certificate revocation list (empty, long-lived): the revocation data a PAdES B-LT signature embeds.
CRL_FILE = "demo-ca.crl"
# The demo CA's certificate (PEM): the trust root for tools outside the portal (pdfsig, pyHanko's CLI).
CA_FILE = "demo-ca.pem"
CA_KEY_FILE = "demo-ca-key.pem"
# Demo certificates and the CRL start this long before they are made: a PAdES B-LTA signature validates its chain
# when it is made, and the tests (and a demo) may sign at dates in the past.
BACKDATE = datetime.timedelta(days=3 * 365)
CRL_URL = "http://pki.demo.invalid/demo-ca.crl"


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "INAMI-RIZIV SECM eServices"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARKER),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, key, issuer, issuer_key, *, ca=False, eku=None, years=13, days=None):
    now = datetime.datetime.now(datetime.UTC) - BACKDATE
    # ``days`` counts from today (a certificate that ends soon), ``years`` from the backdated start.
    lifetime = BACKDATE + datetime.timedelta(days=days) if days is not None else datetime.timedelta(days=365 * years)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + lifetime)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca and eku is None,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if not ca:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _crl(ca_cert, ca_key, *, years=23):
    now = datetime.datetime.now(datetime.UTC) - BACKDATE
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    return builder.sign(ca_key, hashes.SHA256())


def _write_p12(path, label, key, cert, ca_cert, passphrase):
    encryption = serialization.BestAvailableEncryption(passphrase.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(label, key, cert, [ca_cert], encryption))
    path.chmod(0o600)


def make_demo_pki(directory, passphrase, *, tsa_days=None):
    """Write ``signer.p12`` (platform key, certificate, CA), ``demo-tsa.p12`` (TSA key, certificate, CA), the CA's
    certificate (``demo-ca.pem``), its CRL (``demo-ca.crl``) and, for rotations and new TSA certificates in the
    tests, the CA's key (``demo-ca-key.pem``, demo only). ``tsa_days`` shortens the TSA certificate's life."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("SECM eServices demo root CA")
    ca_cert = _certificate(ca_name, ca_key, ca_name, ca_key, ca=True, years=23)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = _certificate(_name("SECM eServices platform (proofs of deposit)"), signer_key, ca_name, ca_key)
    # RSA: pyHanko's in-process timestamper, used as the demo TSA, signs with RSA only.
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _certificate(
        _name("SECM eServices demo time-stamping authority"),
        tsa_key,
        ca_name,
        ca_key,
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        days=tsa_days,
    )
    _write_p12(directory / SIGNER_FILE, b"platform", signer_key, signer_cert, ca_cert, passphrase)
    _write_p12(directory / TSA_FILE, b"tsa", tsa_key, tsa_cert, ca_cert, passphrase)
    (directory / CA_FILE).write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (directory / CRL_FILE).write_bytes(_crl(ca_cert, ca_key).public_bytes(serialization.Encoding.DER))
    key_path = directory / CA_KEY_FILE
    key_path.write_bytes(
        ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption_for(passphrase))
    )
    key_path.chmod(0o600)
    return directory / SIGNER_FILE


def encryption_for(passphrase):
    return serialization.BestAvailableEncryption(passphrase.encode())


def _load_ca(directory, passphrase):
    directory = Path(directory)
    ca_key = serialization.load_pem_private_key((directory / CA_KEY_FILE).read_bytes(), passphrase.encode())
    ca_cert = x509.load_pem_x509_certificate((directory / CA_FILE).read_bytes())
    return ca_cert, ca_key


def issue_demo_certificate(directory, passphrase, target, *, kind="platform", days=None, common_name=None):
    """Issue a new demo key and certificate under the demo CA of ``directory`` into the PKCS#12 file ``target``: a
    rotated platform key (``kind="platform"``) or a new TSA certificate (``kind="tsa"``). Demo and tests only."""
    ca_cert, ca_key = _load_ca(directory, passphrase)
    if kind == "tsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = common_name or "SECM eServices demo time-stamping authority"
        cert = _certificate(
            _name(name), key, ca_cert.subject, ca_key, eku=[ExtendedKeyUsageOID.TIME_STAMPING], days=days
        )
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        name = common_name or "SECM eServices platform (proofs of deposit)"
        cert = _certificate(_name(name), key, ca_cert.subject, ca_key, days=days)
    _write_p12(Path(target), kind.encode(), key, cert, ca_cert, passphrase)
    return Path(target)


def is_demo_certificate(certificate):
    """True for a certificate made by ``make_demo_pki`` (its subject carries the demo marker)."""
    return DEMO_MARKER in certificate.subject.rfc4514_string()


def certificate_pem(pkcs12_path, passphrase):
    """The certificate of a PKCS#12 file as PEM (for SIGNING_PREVIOUS_CERTIFICATES after a rotation)."""
    _key, cert, _extra = pkcs12.load_key_and_certificates(Path(pkcs12_path).read_bytes(), passphrase.encode())
    return cert.public_bytes(serialization.Encoding.PEM)
