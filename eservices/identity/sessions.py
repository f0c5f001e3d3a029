"""The markers a login leaves in the session, and the decisions taken from them.

``auth_at`` (when the person logged in), ``seen_at`` (last request, for the idle timeout), ``acr`` (the level of
assurance reached) and ``auth_method`` (``oidc`` or ``local_otp``). ``conftest.log_in`` sets the same markers.
"""

import time

from django.conf import settings

from .oidc import level_reaches

AUTH_AT, SEEN_AT, ACR, METHOD = "auth_at", "seen_at", "acr", "auth_method"
OIDC, LOCAL_OTP = "oidc", "local_otp"


def mark_login(session, *, acr, method):
    now = time.time()
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    session[ACR] = acr
    session[METHOD] = method


def expiry_reason(session, user, now=None):
    """Why this session must end now (``idle``, ``absolute``, ``revoked``), or None."""
    now = now or time.time()
    auth_at = session.get(AUTH_AT)
    if auth_at is None:
        return "revoked"  # a session without login markers was not opened by a login
    if now - auth_at > settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - session.get(SEEN_AT, auth_at) > settings.SESSION_IDLE_SECONDS:
        return "idle"
    if user.sessions_valid_after is not None and auth_at < user.sessions_valid_after.timestamp():
        return "revoked"
    return None


def is_strongly_authenticated(request):
    """Staff strength: the OIDC login at the staff level, or a local account with its second factor."""
    session = request.session
    if session.get(METHOD) == OIDC:
        return level_reaches(session.get(ACR, ""), settings.OIDC_ACR_STAFF)
    if session.get(METHOD) == LOCAL_OTP:
        return bool(getattr(request.user, "is_verified", lambda: False)())
    return False
