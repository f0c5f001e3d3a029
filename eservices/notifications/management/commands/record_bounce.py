from django.core.management.base import BaseCommand, CommandError

from eservices.notifications import services


class Command(BaseCommand):
    help = "Mark an outbox e-mail as bounced (undeliverable after the server accepted it)."

    def add_arguments(self, parser):
        parser.add_argument("email_id", type=int)
        parser.add_argument("--reason", default="undeliverable")

    def handle(self, *args, email_id, reason, **options):
        if services.record_bounce(email_id, reason=reason) is None:
            raise CommandError(f"no outbox e-mail {email_id}, or it already bounced")
        self.stdout.write(f"e-mail {email_id} marked as bounced")
