"""Response headers that Django's own middleware does not set, and the probes' short way in."""

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.utils.translation import gettext as _

from . import views
from .errors import ServiceUnavailable

logger = logging.getLogger(__name__)


class ProbeMiddleware:
    """Answers /healthz and /readyz before every other middleware (first in MIDDLEWARE).

    A probe then never loads a session (a cookie sent while the database is down would make it a 500), never
    redirects to HTTPS (the load balancer probes the node over plain HTTP) and is never rate limited.
    """

    PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Probes are GETs; any other method goes the whole way (a POST without a token: CSRF's 403, as everywhere).
        probe = self.PROBES.get(request.path_info) if request.method in ("GET", "HEAD") else None
        return probe(request) if probe is not None else self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy everywhere and ``Cache-Control: no-store`` to pages of a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not hasattr(response, "_csp_config"):
            response._csp_config = csp_with_provider()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
        return response


class ServiceUnavailableMiddleware:
    """A :class:`ServiceUnavailable` raised by a use case becomes the translated 503 page, with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceUnavailable):
            return None
        logger.error("service unavailable", extra={"event": {"action": "service.unavailable", "path": request.path}})
        if "application/json" in request.headers.get("Accept", ""):  # the upload forms' script
            message = _(
                "A service the portal needs is unavailable for a moment. Nothing was recorded from your last "
                "action: no document was stored and nothing was sent."
            )
            response = JsonResponse({"ok": False, "errors": [str(message)]}, status=503)
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = "120"
        return response


def csp_with_provider() -> dict:
    """``SECURE_CSP`` whose form-action also allows the identity provider's origin.

    The logout form posts here and is redirected to the provider's end-session endpoint (RP-initiated logout):
    browsers apply form-action to every redirect of a form submission, so without the provider's origin the
    logout stops half-way. The origin comes from ``OIDC_ISSUER`` at each response, so it follows the settings.
    """
    policy: dict[str, Any] = settings.SECURE_CSP
    issuer = urlsplit(settings.OIDC_ISSUER)
    if not policy or not issuer.scheme or not issuer.netloc:
        return policy
    origin = f"{issuer.scheme}://{issuer.netloc}"
    form_action = list(policy.get("form-action", [CSP.SELF]))
    if origin not in form_action:
        form_action.append(origin)
    return {**policy, "form-action": form_action}
