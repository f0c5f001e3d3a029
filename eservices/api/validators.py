"""Client authentication at the token endpoint: the client's secret (django-oauth-toolkit), or ``private_key_jwt``
(RFC 7523, OpenID Connect Core 9): a short JWT signed with the client's private key, checked against the public
keys it registered; nothing secret is stored or sent."""

import base64
import json
import time

from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from oauth2_provider.oauth2_validators import OAuth2Validator

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
# The longest an assertion may be valid: a client makes a new one for each token request.
MAX_LIFETIME = 300


def token_endpoint_url() -> str:
    return f"{settings.SITE_URL}/api/v1/oauth/token/"


class ApiValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        body = dict(request.decoded_body or [])
        if body.get("client_assertion_type") == JWT_BEARER:
            return self._authenticate_assertion(request, body.get("client_assertion", ""))
        return super().authenticate_client(request, *args, **kwargs)

    def _authenticate_assertion(self, request, assertion):
        """``iss`` and ``sub`` are the client id, ``aud`` the token endpoint, ``exp`` within five minutes, ``jti``
        used once; signed by one of the client's registered keys."""
        client_id = _unverified_issuer(assertion)
        if not client_id or self._load_application(client_id, request) is None:
            return False
        api_client = getattr(request.client, "api_client", None)
        if api_client is None or not api_client.jwks:
            return False
        try:
            token = jwt.decode(assertion, KeySet.import_key_set(api_client.jwks), algorithms=ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": client_id},
                sub={"essential": True, "value": client_id},
                aud={"essential": True, "value": token_endpoint_url()},
                exp={"essential": True},
                jti={"essential": True},
            )
            registry.validate(token.claims)
        except (JoseError, ValueError):
            return False
        now = time.time()
        if token.claims["exp"] - now > MAX_LIFETIME:
            return False
        # Each assertion once: its jti is remembered until it expires.
        if not cache.add(f"api-assertion:{client_id}:{token.claims['jti']}", 1, timeout=MAX_LIFETIME + 60):
            return False
        request.client_id = client_id
        return True


def _unverified_issuer(assertion):
    """The ``iss`` claim, read only to find whose keys check the signature (checked right after)."""
    try:
        payload = assertion.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer if isinstance(issuer, str) and len(issuer) <= 255 else None
