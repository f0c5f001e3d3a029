from django.core.management.base import BaseCommand, CommandError

from eservices.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Check that the audit trail is intact: every entry follows the one before it and matches its hash, "
        "and the chain still reaches its last checkpoint. Exits non-zero naming the first bad entry."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(f"Audit trail broken at {report.first_break}")
        self.stdout.write(
            f"Audit trail intact: {report.entries} entries, head #{report.head_sequence} {report.head_hash}, "
            f"{report.checkpoints} checkpoints."
        )
