"""The OpenID Connect relying party (Authlib for the protocol, joserfc for the tokens).

The authorization code flow with PKCE S256; ``state``, ``nonce`` and the code verifier live in the browser's
session and are used once. Discovery is checked for an exact issuer match; ID tokens and JWT userinfo are
checked for signature (JWKS, refetched once when an unknown key id appears: key rotation), algorithm
(asymmetric only: never ``none`` or HS*), issuer, audience, expiry and nonce. The returned ``acr`` must reach
the level asked for. Nothing here writes to the database: ``services.log_in_with_oidc`` does.
"""

import base64
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from . import nrn

logger = logging.getLogger(__name__)

# The federal authentication service's levels of assurance, weakest first.
ACR_LEVELS = [
    "urn:be:fedict:iam:fas:Level100",
    "urn:be:fedict:iam:fas:Level200",
    "urn:be:fedict:iam:fas:Level300",
    "urn:be:fedict:iam:fas:Level400",
    "urn:be:fedict:iam:fas:Level450",
    "urn:be:fedict:iam:fas:Level500",
]
SCOPES = "openid profile egovnrn"
ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
PENDING_KEY = "oidc_pending"
PENDING_MAX = 3
PENDING_SECONDS = 15 * 60
LEEWAY_SECONDS = 60
CACHE_SECONDS = 3600


class LoginError(Exception):
    """A login that must be refused; ``message`` is what the person sees, ``code`` goes to the audit trail."""

    MESSAGES = {
        "provider_down": _(
            "The authentication service cannot be reached at the moment. Please try again in a few minutes."
        ),
        "state_mismatch": _(
            "This login attempt is no longer valid (it was already used, has expired or was started elsewhere). "
            "Please log in again."
        ),
        "denied": _("The login was cancelled at the authentication service."),
        "invalid_response": _(
            "The answer of the authentication service could not be verified, so nobody was logged in. "
            "Please log in again."
        ),
        "acr_too_low": _(
            "This login method does not give the level of assurance required here. "
            "Please log in with your eID card or with itsme."
        ),
        "acr_too_low_staff": _("The back office requires a login with the eID card and its PIN code."),
        "account_disabled": _("This account is disabled. Please contact the SECM."),
        "nrn_missing": _(
            "The authentication service did not give a valid national register number, so the portal cannot "
            "identify you."
        ),
    }

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    @property
    def message(self):
        return self.MESSAGES.get(self.code, self.MESSAGES["invalid_response"])


@dataclass
class Identity:
    """What the provider told us about the person, verified."""

    issuer: str
    subject: str
    acr: str
    national_number: str
    given_name: str = ""
    surname: str = ""
    email: str = ""
    language: str = ""
    claims: dict = field(default_factory=dict, repr=False)

    def __repr__(self):  # never the national number in clear, even in a traceback
        return f"Identity({self.subject!r} @ {self.issuer!r}, acr={self.acr!r}, nrn={nrn.mask(self.national_number)})"


def level_reaches(acr, required):
    """Whether ``acr`` is at least ``required`` on the FAS scale; an unknown value reaches nothing."""
    if acr not in ACR_LEVELS or required not in ACR_LEVELS:
        return False
    return ACR_LEVELS.index(acr) >= ACR_LEVELS.index(required)


def _get(url, **kwargs):
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT_SECONDS, **kwargs)
    except requests.RequestException as error:
        raise LoginError("provider_down", f"{url}: {type(error).__name__}") from error
    if response.status_code >= 500:
        raise LoginError("provider_down", f"{url}: HTTP {response.status_code}")
    return response


def metadata():
    """The provider's discovery document, whose ``issuer`` must be exactly the configured one."""
    key = f"oidc:metadata:{settings.OIDC_ISSUER}"
    document = cache.get(key)
    if document is None:
        response = _get(settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration")
        try:
            document = response.json()
        except ValueError as error:
            raise LoginError("provider_down", "discovery is not JSON") from error
        if response.status_code != 200 or not isinstance(document, dict):
            raise LoginError("provider_down", f"discovery: HTTP {response.status_code}")
        if document.get("issuer") != settings.OIDC_ISSUER:
            raise LoginError(
                "invalid_response", f"discovery issuer {document.get('issuer')!r} is not the configured one"
            )
        cache.set(key, document, CACHE_SECONDS)
    return document


def provider_keys(refresh=False):
    """The provider's signing keys (JWKS), cached; ``refresh`` fetches them again (after a key rotation)."""
    key = f"oidc:jwks:{settings.OIDC_ISSUER}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        response = _get(metadata()["jwks_uri"])
        try:
            keys = response.json()
            KeySet.import_key_set(keys)
        except (ValueError, JoseError) as error:
            raise LoginError("provider_down", "unreadable JWKS") from error
        cache.set(key, keys, CACHE_SECONDS)
    return KeySet.import_key_set(keys)


def client_key():
    """The client's private key (private_key_jwt, request objects), from the environment; the demo's from var/."""
    raw = settings.OIDC_CLIENT_PRIVATE_KEY
    if not raw and settings.OIDC_DEV_PROVIDER and settings.OIDC_DEMO_CLIENT_KEY_PATH.is_file():
        raw = settings.OIDC_DEMO_CLIENT_KEY_PATH.read_text(encoding="utf-8")
    if not raw:
        return None
    return RSAKey.import_key(json.loads(raw) if raw.lstrip().startswith("{") else raw)


def begin(request, *, level, next_url):
    """The authorization URL of a new login; its state, nonce and code verifier are kept in the session."""
    document = metadata()
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    pending = dict(list(request.session.get(PENDING_KEY, {}).items())[-(PENDING_MAX - 1) :])
    pending[state] = {"nonce": nonce, "verifier": verifier, "level": level, "next": next_url, "at": int(time.time())}
    request.session[PENDING_KEY] = pending
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": settings.OIDC_REDIRECT_URI,
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        "acr_values": level,
        "ui_locales": (get_language() or settings.LANGUAGE_CODE)[:2],
    }
    if settings.OIDC_REQUEST_OBJECT:
        params = _request_object(params, document)
    return f"{document['authorization_endpoint']}?{urlencode(params)}"


def _request_object(params, document):
    """The same parameters, signed by the client (a request object, RFC 9101)."""
    key = client_key()
    now = int(time.time())
    claims = {**params, "iss": settings.OIDC_CLIENT_ID, "aud": document["issuer"], "iat": now, "nbf": now}
    claims.update({"exp": now + 300, "jti": str(uuid.uuid4())})
    header = {"alg": "RS256", "typ": "oauth-authz-req+jwt", **({"kid": key.kid} if key.kid else {})}
    signed = jwt.encode(header, claims, key, algorithms=["RS256"])
    return {
        "client_id": settings.OIDC_CLIENT_ID,
        "response_type": "code",
        "scope": SCOPES,
        "request": signed,
    }


def complete(request):
    """Check the provider's answer on the callback; return ``(identity, next_url, level)``: the verified
    :class:`Identity`, where to go after the login and the level that was asked.

    Raises :class:`LoginError`; the pending state is consumed whatever the outcome, so a replayed callback fails.
    """
    pending = request.session.get(PENDING_KEY, {})
    state = request.GET.get("state", "")
    attempt = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending
    if attempt is None or attempt["at"] + PENDING_SECONDS < time.time():
        raise LoginError("state_mismatch")
    document = metadata()
    if "iss" in request.GET and request.GET["iss"] != document["issuer"]:
        raise LoginError("invalid_response", "iss parameter of the authorization response")
    if "error" in request.GET:
        raise LoginError("denied", request.GET.get("error", "")[:100])
    code = request.GET.get("code", "")
    if not code:
        raise LoginError("invalid_response", "no code")
    tokens = _exchange(code, attempt["verifier"], document)
    id_token = verify_token(tokens.get("id_token", ""), nonce=attempt["nonce"])
    acr = id_token.get("acr", "")
    if not level_reaches(acr, attempt["level"]):
        code = "acr_too_low_staff" if attempt["level"] == settings.OIDC_ACR_STAFF else "acr_too_low"
        raise LoginError(code, f"acr {acr!r} below {attempt['level']!r}")
    userinfo = _userinfo(tokens.get("access_token", ""), document)
    if userinfo.get("sub") != id_token["sub"]:
        raise LoginError("invalid_response", "userinfo sub differs from the ID token's")
    claims = {**id_token, **userinfo}
    national_number = nrn.normalise(str(claims.get(settings.OIDC_CLAIM_NRN) or ""))
    identity = Identity(
        issuer=document["issuer"],
        subject=id_token["sub"],
        acr=acr,
        national_number=national_number,
        given_name=str(claims.get(settings.OIDC_CLAIM_GIVEN_NAME) or "")[:150],
        surname=str(claims.get(settings.OIDC_CLAIM_SURNAME) or "")[:150],
        email=str(claims.get(settings.OIDC_CLAIM_EMAIL) or "")[:254],
        language=str(claims.get(settings.OIDC_CLAIM_LANGUAGE) or "")[:2].lower(),
        claims=claims,
    )
    if not nrn.is_valid(national_number):
        raise LoginError("nrn_missing", f"subject {identity.subject!r}")
    return identity, attempt["next"], attempt["level"]


def _exchange(code, verifier, document):
    """The token request, authenticated by private_key_jwt or the client secret."""
    method = settings.OIDC_CLIENT_AUTH_METHOD
    secret = client_key() if method == "private_key_jwt" else settings.OIDC_CLIENT_SECRET
    if not secret:
        logger.error("OIDC_CLIENT_AUTH_METHOD is %s but no client key or secret is configured", method)
        raise LoginError("provider_down", "no client credentials configured")
    session = OAuth2Session(
        settings.OIDC_CLIENT_ID,
        secret,
        token_endpoint_auth_method=method,
        redirect_uri=settings.OIDC_REDIRECT_URI,
    )
    if method == "private_key_jwt":
        session.register_client_auth_method(PrivateKeyJWT(document["token_endpoint"]))
    try:
        return session.fetch_token(
            document["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=verifier,
            timeout=settings.OIDC_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise LoginError("provider_down", f"token endpoint: {type(error).__name__}") from error
    except (AuthlibBaseError, ValueError) as error:
        raise LoginError("invalid_response", f"token endpoint refused the code: {error}") from error
    finally:
        session.close()


def _allowed_algorithms(document, name):
    offered = document.get(name) or ["RS256"]
    return [alg for alg in offered if alg in ASYMMETRIC_ALGORITHMS] or ["RS256"]


def _header(token):
    try:
        segment = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError) as error:
        raise LoginError("invalid_response", "not a JWT") from error


def verify_token(token, *, nonce=None, algorithms_name="id_token_signing_alg_values_supported", require_exp=True):
    """The claims of a JWT signed by the provider for this client, or :class:`LoginError`."""
    document = metadata()
    header = _header(token)
    algorithms = _allowed_algorithms(document, algorithms_name)
    if header.get("alg") not in algorithms:
        raise LoginError("invalid_response", f"algorithm {header.get('alg')!r} refused")
    keys = provider_keys()
    if header.get("kid") and all(key.kid != header["kid"] for key in keys.keys):
        keys = provider_keys(refresh=True)  # the provider rotated its keys
    try:
        claims = jwt.decode(token, keys, algorithms=algorithms).claims
    except (JoseError, ValueError) as error:
        raise LoginError("invalid_response", f"signature: {type(error).__name__}") from error
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    problems = [
        ("issuer", claims.get("iss") != document["issuer"]),
        ("audience", settings.OIDC_CLIENT_ID not in audiences),
        ("authorized party", len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID),
        ("subject", not claims.get("sub")),
        ("expiry", (require_exp or "exp" in claims) and not isinstance(claims.get("exp"), int | float)),
        ("expiry", isinstance(claims.get("exp"), int | float) and claims["exp"] + LEEWAY_SECONDS < now),
        ("issued at", isinstance(claims.get("iat"), int | float) and claims["iat"] - LEEWAY_SECONDS > now),
        ("nonce", nonce is not None and not secrets.compare_digest(str(claims.get("nonce", "")), nonce)),
    ]
    for name, failed in problems:
        if failed:
            raise LoginError("invalid_response", f"{name} claim refused")
    return claims


def _userinfo(access_token, document):
    """The userinfo, as JSON or as a JWT signed by the provider (then checked like an ID token)."""
    response = _get(document["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"})
    if response.status_code != 200:
        raise LoginError("invalid_response", f"userinfo: HTTP {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type == "application/jwt":
        return verify_token(
            response.text.strip(), algorithms_name="userinfo_signing_alg_values_supported", require_exp=False
        )
    try:
        claims = response.json()
    except ValueError as error:
        raise LoginError("invalid_response", "userinfo is not JSON") from error
    if not isinstance(claims, dict):
        raise LoginError("invalid_response", "userinfo is not an object")
    return claims


def logout_url():
    """Where to send the browser after the local logout: the provider's end-session endpoint, if any."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except LoginError:
        return None
    if not endpoint:
        return None
    params = {"client_id": settings.OIDC_CLIENT_ID, "post_logout_redirect_uri": settings.OIDC_POST_LOGOUT_REDIRECT_URI}
    return f"{endpoint}?{urlencode(params)}"
