from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eservices.audit.services import UnreadableCheckpoints, read_exported_checkpoints, verify_chain


class Command(BaseCommand):
    help = (
        "Check that the audit trail is intact: every entry follows the one before it and matches its hash, "
        "and the chain still reaches its last checkpoint. With --checkpoints FILE (the AUDIT_CHECKPOINT_FILE "
        "kept outside the database), also against the checkpoints exported there: nothing after the last of them "
        "vanished, even if checkpoints were deleted from the database too. Exits non-zero naming the first bad entry, "
        "or the entries left unsealed longer than AUDIT_SEAL_BOUND seconds or not stamped by the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="the JSON-lines file of exported checkpoints (AUDIT_CHECKPOINT_FILE, or a copy of it)",
        )

    def handle(self, *args, **options):
        exported = []
        if options["checkpoints"]:
            try:
                exported = read_exported_checkpoints(options["checkpoints"])
            except UnreadableCheckpoints as error:
                raise CommandError(f"Exported checkpoints: {error}") from error
        report = verify_chain(exported)
        if not report.intact:
            raise CommandError(f"Audit trail broken at {report.first_break}")
        if report.unstamped:
            raise CommandError(
                f"Audit trail: {len(report.unstamped)} entries waiting to be sealed were not written by the portal "
                f"(their stamp is not valid): ids {_ids(report.unstamped)}"
            )
        if report.overdue:
            raise CommandError(
                f"Audit trail: {len(report.overdue)} entries left unsealed for more than {settings.AUDIT_SEAL_BOUND} s "
                f"(is the sequencer running?): ids {_ids(report.overdue)}"
            )
        outside = f" and {len(exported)} exported to {options['checkpoints']}" if options["checkpoints"] else ""
        self.stdout.write(
            f"Audit trail intact: {report.entries} entries, head #{report.head_sequence} {report.head_hash}, "
            f"{report.checkpoints - len(exported)} checkpoints{outside}; {report.unsealed} waiting to be sealed."
        )


def _ids(ids, shown=20):
    return ", ".join(str(pk) for pk in ids[:shown]) + (" ..." if len(ids) > shown else "")
