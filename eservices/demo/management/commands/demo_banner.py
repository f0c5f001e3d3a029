from django.conf import settings
from django.core.management.base import BaseCommand

from eservices.demo import data


class Command(BaseCommand):
    help = "Print where to open the demo and which identities to log in as."

    def handle(self, *args, **options):
        self.stdout.write("\n  SECM eServices demo: http://127.0.0.1:8000/fr/  (NL: http://127.0.0.1:8000/nl/)")
        self.stdout.write("  Mails are written to var/mail/, documents to var/documents/.")
        self.stdout.write(
            f"  Log in: 'Se connecter', then pick an identity at the development identity provider\n"
            f"  ({settings.OIDC_ISSUER}/ lists them with their levels of assurance; log output in var/devidp/).\n"
        )
        self.stdout.write("  Staff identities:")
        for username, first, last, _language, unit, role in data.STAFF:
            self.stdout.write(f"    {username:<20} {first} {last} – {unit}, {role.label}")
        self.stdout.write("  Citizen identities:")
        for username, first, last, _language, inami in data.CITIZENS:
            self.stdout.write(f"    {username:<20} {first} {last}" + (f" – INAMI {inami}" if inami else ""))
        self.stdout.write("")
