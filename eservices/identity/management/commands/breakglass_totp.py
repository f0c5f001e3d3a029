"""Gives a local break-glass administrator a new TOTP device and prints its provisioning URI once."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from eservices.audit.services import record
from eservices.identity.models import User


class Command(BaseCommand):
    help = "Replace the TOTP device of a local administrator account (which must have a password)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
        if not user.has_usable_password():
            raise CommandError("set a password first (manage.py changepassword); OIDC accounts need no TOTP")
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="break-glass", confirmed=True)
        record("otp.device_created", actor=user, target=user, details={"device": device.persistent_id})
        self.stdout.write("Scan this URI in an authenticator app (shown once):")
        self.stdout.write(device.config_url)
