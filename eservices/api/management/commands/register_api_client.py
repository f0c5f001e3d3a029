"""Register an API client from the command line, in the name of a functional administrator."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eservices.api import services
from eservices.api.scopes import SCOPES
from eservices.units.models import Unit


class Command(BaseCommand):
    help = "Register a system as an API client (OAuth2 client credentials); prints its id and secret once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A short name (letters, digits, hyphens): the trail shows api:<name>.")
        parser.add_argument("--unit", action="append", required=True, help="A unit's code; repeat for several.")
        parser.add_argument(
            "--scope", action="append", required=True, choices=sorted(SCOPES), help="A scope; repeat for several."
        )
        parser.add_argument("--by", required=True, help="Username of the functional administrator registering it.")
        parser.add_argument(
            "--jwks", type=Path, help="A JSON file of the client's public keys (JWK Set), for private_key_jwt."
        )

    def handle(self, *args, name, unit, scope, by, jwks=None, **options):
        try:
            actor = get_user_model().objects.get(username=by)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account {by!r}.") from None
        units = list(Unit.objects.filter(code__in=unit))
        if len(units) != len(set(unit)):
            raise CommandError("Unknown unit code.")
        keys = json.loads(jwks.read_text(encoding="utf-8")) if jwks else None
        client, secret = services.register_client(actor=actor, name=name, units=units, scopes=scope, jwks=keys)
        self.stdout.write(f"client_id={client.application.client_id}\n")
        self.stdout.write(f"client_secret={secret}\n")
        self.stdout.write("Keep the secret now: only its hash is stored.\n")
