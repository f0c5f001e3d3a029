from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eservices.signing import pki


class Command(BaseCommand):
    help = "Make a demo/test PKI (CA, platform signing certificate, TSA certificate) as PKCS#12 files."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder to write to (default: the folder of SIGNING_PKCS12_PATH).")
        parser.add_argument("--force", action="store_true", help="Replace existing files.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo PKI is not for the production profile.")
        directory = Path(options["dir"] or Path(settings.SIGNING_PKCS12_PATH).parent)
        target = directory / pki.SIGNER_FILE
        if target.exists() and not options["force"]:
            self.stdout.write(f"{target} exists; keeping it (use --force to replace it).")
            if not (directory / pki.CRL_FILE).exists():
                # Made before receipts were PAdES B-LTA: without the CA's CRL, new receipts reach B-T only.
                self.stdout.write(
                    f"It has no {pki.CRL_FILE}: receipts reach PAdES B-T only. --force makes a new PKI (receipts "
                    "sealed with the old one then fail the trusted check)."
                )
            return
        pki.make_demo_pki(directory, settings.SIGNING_PKCS12_PASSPHRASE)
        self.stdout.write(
            f"Demo PKI written to {directory} ({pki.SIGNER_FILE}, {pki.TSA_FILE}, {pki.CA_FILE}, {pki.CRL_FILE})."
        )
