from django.core.management.base import BaseCommand, CommandError

from eservices.audit.services import checkpoint
from eservices.signing.services import SigningUnavailable


class Command(BaseCommand):
    help = (
        "Record the audit chain's head (sequence number and hash) as a checkpoint time-stamped by the "
        "time-stamping authority (RFC 3161), so that cutting entries off the end of the chain, or rewriting it, "
        "is detected by verify_audit. Run it periodically (e.g. daily). Fails, writing nothing, when the "
        "authority does not answer."
    )

    def handle(self, *args, **options):
        try:
            saved = checkpoint()
        except SigningUnavailable as error:
            raise CommandError(
                f"No checkpoint written: the time-stamping authority did not give a time-stamp ({error})."
            ) from error
        self.stdout.write(
            f"Checkpoint {saved.pk}: head #{saved.sequence} {saved.entry_hash}, digest {saved.digest}, "
            f"time-stamped ({len(saved.timestamp_token)} bytes)."
        )
