"""Token-level attacks the real provider will not produce (alg=none, HS256 with the RSA key, wrong audience,
bad signature, expiry, key rotation): tokens are crafted with joserfc and checked against a JWKS served by a
tiny local HTTP server on a free port (discovery + JWKS only; nothing is mocked inside the relying party)."""

import base64
import functools
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from joserfc import jwt
from joserfc.jwk import RSAKey

from eservices.identity import oidc
from eservices.identity.oidc import LoginError


@functools.cache
def rsa_key(number):
    """Generated once per test run (RSA key generation is slow)."""
    return RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig", "kid": f"key-{number}"})


class FakeProvider:
    def __init__(self):
        self.keys = [rsa_key(0)]
        self.jwks_requests = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                if self.path == "/.well-known/openid-configuration":
                    body = {
                        "issuer": provider.issuer,
                        "jwks_uri": provider.issuer + "/jwks",
                        "authorization_endpoint": provider.issuer + "/auth",
                        "token_endpoint": provider.issuer + "/token",
                        "userinfo_endpoint": provider.issuer + "/me",
                        "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
                    }
                elif self.path == "/jwks":
                    provider.jwks_requests += 1
                    body = {"keys": [key.as_dict(private=False) for key in provider.keys]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def claims(self, **overrides):
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "s1", "aud": "rp", "exp": now + 300, "iat": now, "nonce": "n1"}
        claims.update(overrides)
        return {key: value for key, value in claims.items() if value is not None}

    def sign(self, key=None, alg="RS256", **overrides):
        key = key or self.keys[0]
        header = {"alg": alg, **({"kid": key.kid} if getattr(key, "kid", None) else {})}
        return jwt.encode(header, self.claims(**overrides), key, algorithms=[alg])


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    cache.clear()
    settings.OIDC_ISSUER = fake.issuer
    settings.OIDC_CLIENT_ID = "rp"
    yield fake
    fake.server.shutdown()
    cache.clear()


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_good_token_passes(provider):
    assert oidc.verify_token(provider.sign(), nonce="n1")["sub"] == "s1"


def test_alg_none_is_refused(provider):
    token = f"{b64({'alg': 'none'})}.{b64(provider.claims())}."
    with pytest.raises(LoginError):
        oidc.verify_token(token, nonce="n1")


def test_hs256_signed_with_the_public_key_is_refused(provider):
    """The classic confusion attack: HMAC keyed with the provider's public RSA key."""
    public_pem = provider.keys[0].as_pem(private=False)  # joserfc refuses to build it: signed by hand
    signing_input = f"{b64({'alg': 'HS256', 'kid': provider.keys[0].kid})}.{b64(provider.claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(LoginError):
        oidc.verify_token(token, nonce="n1")


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-client"},
        {"aud": ["rp", "another-client"]},  # several audiences without azp=rp
        {"iss": "http://127.0.0.1:1"},
        {"exp": int(time.time()) - 3600},
        {"exp": None},
        {"sub": None},
        {"nonce": "replayed-from-another-login"},
        {"iat": int(time.time()) + 3600},
    ],
)
def test_wrong_claims_are_refused(provider, overrides):
    with pytest.raises(LoginError):
        oidc.verify_token(provider.sign(**overrides), nonce="n1")


def test_several_audiences_with_azp_pass(provider):
    assert oidc.verify_token(provider.sign(aud=["rp", "other"], azp="rp"), nonce="n1")


def test_bad_signature_is_refused(provider):
    header, payload, signature = provider.sign().split(".")
    tampered = b64({**provider.claims(), "sub": "someone-else"})
    with pytest.raises(LoginError):
        oidc.verify_token(f"{header}.{tampered}.{signature}", nonce="n1")


def test_token_signed_by_an_unknown_key_is_refused(provider):
    stranger = rsa_key(2)
    with pytest.raises(LoginError):
        oidc.verify_token(provider.sign(key=stranger), nonce="n1")


def test_key_rotation_refetches_the_jwks_once(provider):
    """A token with a new key id makes the relying party fetch the JWKS again, once."""
    assert oidc.verify_token(provider.sign(), nonce="n1")
    assert provider.jwks_requests == 1
    provider.keys.append(rsa_key(1))
    assert oidc.verify_token(provider.sign(key=provider.keys[1]), nonce="n1")
    assert provider.jwks_requests == 2
    assert oidc.verify_token(provider.sign(key=provider.keys[1]), nonce="n1")
    assert provider.jwks_requests == 2


def test_userinfo_jwt_without_expiry_passes_but_wrong_audience_does_not(provider):
    name = "userinfo_signing_alg_values_supported"
    assert oidc.verify_token(provider.sign(exp=None, nonce=None), algorithms_name=name, require_exp=False)
    with pytest.raises(LoginError):
        oidc.verify_token(provider.sign(aud="x", nonce=None), algorithms_name=name, require_exp=False)


def test_level_order():
    assert oidc.level_reaches("urn:be:fedict:iam:fas:Level500", "urn:be:fedict:iam:fas:Level450")
    assert not oidc.level_reaches("urn:be:fedict:iam:fas:Level400", "urn:be:fedict:iam:fas:Level450")
    assert not oidc.level_reaches("urn:be:fedict:iam:fas:Level9000", "urn:be:fedict:iam:fas:Level450")
    assert not oidc.level_reaches("", "urn:be:fedict:iam:fas:Level450")
