from django.core.management.base import BaseCommand

from eservices.casefiles import services


class Command(BaseCommand):
    help = (
        "Remove documents' bytes, personal data and evidence events from case files closed longer than the "
        "periods of settings.RETENTION, recording what was removed in the audit trail (which is never touched)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")

    def handle(self, *args, dry_run=False, **options):
        removed = services.apply_retention(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for entry in removed:
            counts = ", ".join(f"{name} {count}" for name, count in sorted(entry.counts.items()))
            self.stdout.write(
                f"{verb} from {entry.case_file.reference} (closed {entry.case_file.closed_on}): {counts}."
            )
        self.stdout.write(f"{len(removed)} case files {'would be ' if dry_run else ''}touched.")
