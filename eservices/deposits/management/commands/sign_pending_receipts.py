from django.core.management.base import BaseCommand

from eservices.deposits import services


class Command(BaseCommand):
    help = "Sign the proofs of deposit still pending (the signer or the TSA was unavailable). Run it from cron."

    def handle(self, *args, **options):
        signed = services.sign_pending_receipts()
        self.stdout.write(f"{signed} proof(s) of deposit signed.")
