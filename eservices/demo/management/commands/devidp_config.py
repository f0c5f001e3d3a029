"""Writes the development identity provider's configuration: the demo's client and identities.

``make demo`` runs it, then starts ``node devidp/server.js var/devidp/config.json`` on DEVIDP_PORT. The client
authenticates with private_key_jwt: its key pair is generated here, once, in var/devidp/ (never in the repository).
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from joserfc.jwk import RSAKey

from eservices.demo import data


class Command(BaseCommand):
    help = "Write var/devidp/config.json for the development identity provider (demo only)."

    def handle(self, *args, **options):
        if not settings.OIDC_DEV_PROVIDER:
            raise CommandError("OIDC_DEV_PROVIDER is off: the development identity provider is not configured.")
        key_path = settings.OIDC_DEMO_CLIENT_KEY_PATH
        key_path.parent.mkdir(parents=True, exist_ok=True)
        if not key_path.exists():
            key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
            key_path.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
            key_path.chmod(0o600)
        key = RSAKey.import_key(json.loads(key_path.read_text(encoding="utf-8")))
        config = {
            "host": "127.0.0.1",
            "port": settings.DEVIDP_PORT,
            "clients": [
                {
                    "client_id": settings.OIDC_CLIENT_ID,
                    "token_endpoint_auth_method": "private_key_jwt",  # nosec B105
                    "token_endpoint_auth_signing_alg": "RS256",  # nosec B105
                    "jwks": {"keys": [key.as_dict(private=False)]},
                    "redirect_uris": [settings.OIDC_REDIRECT_URI],
                    "post_logout_redirect_uris": [settings.OIDC_POST_LOGOUT_REDIRECT_URI],
                    "userinfo_signed_response_alg": "RS256",
                    "request_object_signing_alg": "RS256",
                }
            ],
            "accounts": data.devidp_accounts(),
        }
        path = key_path.parent / "config.json"
        path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        self.stdout.write(f"Development identity provider configuration written to {path}")
