from django.core.management.base import BaseCommand

from eservices.audit.services import checkpoint


class Command(BaseCommand):
    help = (
        "Record the audit chain's head (sequence number and hash) as a checkpoint, so that cutting entries off "
        "the end of the chain is detected by verify_audit. Run it periodically (e.g. daily)."
    )

    def handle(self, *args, **options):
        saved = checkpoint()
        self.stdout.write(f"Checkpoint {saved.pk}: head #{saved.sequence} {saved.entry_hash}, digest {saved.digest}.")
