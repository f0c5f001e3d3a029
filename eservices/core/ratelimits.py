"""Abuse limits: how a view says "at most so many per user and per address".

Apply :func:`rate_limited` to a view with a group named in ``settings.RATE_LIMITS``::

    @rate_limited("deposit")  # counts POSTs only, by default
    def deposit(request): ...

Each group has two rates: per signed-in user (or per address for anonymous users) and per client address.
Counters live in the cache (Redis when REDIS_URL is set). Past a rate the view is not run: the user gets the
translated 429 page from :func:`eservices.core.views.too_many_requests`, and the event is logged.
"""

from django.conf import settings
from django_ratelimit import UNSAFE
from django_ratelimit.decorators import ratelimit


def rate_limited(group, *, methods=UNSAFE):
    """Limit ``group``'s requests made with ``methods`` (default: POST, PUT, PATCH, DELETE)."""

    def rate_of(key):
        # Read at request time, so that a change of settings (or a test's override) applies at once.
        return lambda ratelimit_group, request: settings.RATE_LIMITS[group][key]

    def decorator(view):
        for key in ("user_or_ip", "ip"):
            view = ratelimit(group=f"{group}:{key}", key=key, rate=rate_of(key), method=methods, block=True)(view)
        view.rate_limit_group = group
        return view

    return decorator
