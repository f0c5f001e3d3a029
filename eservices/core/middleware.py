"""Response headers that Django's own middleware does not set."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP


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


def csp_with_provider() -> dict:
    """``SECURE_CSP`` whose form-action also allows the identity provider's origin.

    The logout form posts here and is redirected to the provider's end-session endpoint (RP-initiated logout):
    browsers apply form-action to every redirect of a form submission, so without the provider's origin the
    logout stops half-way. The origin comes from ``OIDC_ISSUER`` at each response, so it follows the settings.
    """
    policy = settings.SECURE_CSP
    issuer = urlsplit(settings.OIDC_ISSUER)
    if not policy or not issuer.scheme or not issuer.netloc:
        return policy
    origin = f"{issuer.scheme}://{issuer.netloc}"
    form_action = list(policy.get("form-action", [CSP.SELF]))
    if origin not in form_action:
        form_action.append(origin)
    return {**policy, "form-action": form_action}
