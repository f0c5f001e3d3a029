"""Response headers that Django's own middleware does not set, and the probes' short way in."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from . import views


class ProbeMiddleware:
    """Answers /healthz and /readyz before every other middleware (first in MIDDLEWARE).

    A probe then never loads a session (a cookie sent while the database is down would make it a 500), never
    redirects to HTTPS (the load balancer probes the node over plain HTTP) and is never rate limited.
    """

    PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy everywhere and ``Cache-Control: no-store`` to pages of a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
        return response
