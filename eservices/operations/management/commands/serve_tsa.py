import signal
import threading
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from django.core.management.base import BaseCommand, CommandError
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from eservices.signing.services import _to_asn1
from eservices.signing.testing import LocalTSA


class Command(BaseCommand):
    help = (
        "Serve an RFC 3161 time-stamping authority over HTTP on 127.0.0.1 (make prod-local's TSA), signing with the "
        "key and certificate of a PKCS#12 file. For a local rehearsal only: a real deployment names a real TSA."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--pkcs12", required=True, help="the TSA's key, certificate and CA")
        parser.add_argument("--passphrase-file", required=True)

    def handle(self, *args, **options):
        passphrase = Path(options["passphrase_file"]).read_text(encoding="utf-8").strip().encode()
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(Path(options["pkcs12"]).read_bytes(), passphrase)
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the TSA key: {error}") from error
        timestamper = DummyTimeStamper(
            tsa_cert=_to_asn1(cert),
            tsa_key=load_private_key_from_pemder_data(
                key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()), passphrase=None
            ),
            certs_to_embed=[_to_asn1(c) for c in extra],
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        with LocalTSA(timestamper, port=options["port"]) as url:
            self.stdout.write(f"TSA at {url}", ending="\n")
            self.stdout.flush()
            stop.wait()
