"""Who calls the API and what it may do: a registered client's bearer token, its scopes, its rate.

The bearer token is django-oauth-toolkit's (client credentials). The request then acts as the client's account
(a staff member of the client's units), so that every service checks the client's rights as it checks a person's;
``request.api_client`` names the client, which the audit trail records (``audit.services.record``).
"""

import logging

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from eservices.core.ratelimits import over_rate

access_logger = logging.getLogger("eservices.api")


class ClientTokenAuthentication(OAuth2Authentication):
    """A valid, unexpired bearer token of an active registered client: the request acts as its account."""

    www_authenticate_realm = "secm-api"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = getattr(token.application, "api_client", None)
        if client is None or not client.active or not client.account.is_active:
            raise exceptions.AuthenticationFailed("This client is not active.")
        request._request.api_client = str(client)
        request._request.api_client_id = client.pk
        request.api_client_object = client
        return client.account, token


def _client_key(group, request):
    return f"api-client:{getattr(request, 'api_client_id', '')}"


class HasScope(BasePermission):
    """The token carries the scope the view names for the method (``required_scopes``: method → scope), and the
    client is within its rate (``API_CLIENT_RATE``, counted per client in the cache, Redis in production)."""

    def has_permission(self, request, view):
        token = request.auth
        if token is None or request.user is None:
            raise exceptions.NotAuthenticated()
        if over_rate(request._request, "api", key=_client_key, rate=settings.API_CLIENT_RATE):
            raise exceptions.Throttled()
        scope = required_scope(view, request.method)
        if scope is None:
            return True
        return token.allow_scopes([scope])


def required_scope(view, method):
    """The scope a view asks for one method (GET and HEAD share theirs)."""
    scopes = getattr(view, "required_scopes", {})
    method = "GET" if method in ("HEAD", "OPTIONS") else method
    return scopes.get(method)


def log_access(request, response):
    """One structured line per API request (reads included): which client, what, with which outcome."""
    access_logger.info(
        "api request",
        extra={
            "event": {
                "action": "api.request",
                "client": getattr(request._request, "api_client", ""),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
            }
        },
    )


class ClientCredentialsScheme(OpenApiAuthenticationExtension):
    """The schema's security: OAuth2 client credentials, and on each operation the scope its view asks for."""

    target_class = "eservices.api.auth.ClientTokenAuthentication"
    name = "clientCredentials"

    def get_security_definition(self, auto_schema):
        from .scopes import SCOPES

        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token/",
                    "scopes": {name: str(label) for name, label in SCOPES.items()},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        scope = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [scope] if scope else []}
