"""Ends sessions after the idle timeout, after their absolute lifetime, or when their account's sessions were ended."""

import time

from django.contrib import auth, messages
from django.utils.translation import gettext as _

from . import services, sessions

TOUCH_EVERY_SECONDS = 30


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = sessions.expiry_reason(request.session, user, now)
            if reason:
                services.record_session_ended(user=user, reason=reason, request=request)
                auth.logout(request)
                if reason != "revoked":
                    messages.info(request, _("Your session has ended. Please log in again."))
            elif now - request.session.get(sessions.SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
                request.session[sessions.SEEN_AT] = int(now)
        return self.get_response(request)
