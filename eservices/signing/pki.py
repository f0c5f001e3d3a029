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


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "INAMI-RIZIV SECM eServices"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARKER),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, key, issuer, issuer_key, *, ca=False, eku=None, years=10):
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365 * years))
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
    return builder.sign(issuer_key, hashes.SHA256())


def make_demo_pki(directory, passphrase):
    """Write ``signer.p12`` (platform key, certificate, CA) and ``demo-tsa.p12`` (TSA key, certificate, CA)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("SECM eServices demo root CA")
    ca_cert = _certificate(ca_name, ca_key, ca_name, ca_key, ca=True, years=20)
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
    )
    encryption = serialization.BestAvailableEncryption(passphrase.encode())
    for filename, key, cert, label in (
        (SIGNER_FILE, signer_key, signer_cert, b"platform"),
        (TSA_FILE, tsa_key, tsa_cert, b"tsa"),
    ):
        data = pkcs12.serialize_key_and_certificates(label, key, cert, [ca_cert], encryption)
        path = directory / filename
        path.write_bytes(data)
        path.chmod(0o600)
    return directory / SIGNER_FILE


def is_demo_certificate(certificate):
    """True for a certificate made by ``make_demo_pki`` (its subject carries the demo marker)."""
    return DEMO_MARKER in certificate.subject.rfc4514_string()
