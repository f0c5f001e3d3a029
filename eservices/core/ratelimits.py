"""Abuse limits: the one place where a view says "at most so many per user and per address".

Apply :func:`rate_limited` to a view with a group named in ``settings.RATE_LIMITS``::

    @rate_limited("deposit")  # counts POSTs only, by default
    def deposit(request): ...

Each group has up to two rates (django-ratelimit's syntax, e.g. ``"30/h"``; ``None``: no limit on that key):
``user_or_ip``, per signed-in account (per address for anonymous users), and ``ip``, per client address.
Counters live in the cache (Redis when REDIS_URL is set). Past a rate the view is not run: the event is logged
(``ratelimit.exceeded`` on the ``eservices.security`` logger) and the user gets the translated 429 page of
:func:`eservices.core.views.too_many_requests`, or what ``on_limit(request)`` answers (a view that must, say,
record a failed login or answer JSON).
"""

import functools
import logging

from django.conf import settings
from django_ratelimit import ALL, UNSAFE
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

__all__ = ["ALL", "UNSAFE", "charge", "log_exceeded", "rate_limited"]

security_logger = logging.getLogger("eservices.security")


def _account_or_address(group, request):
    """Per account: its id and creation time (a reused id never inherits another account's counter);
    anonymous users are counted per client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}:{user.date_joined.timestamp()}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


KEYS = {"user_or_ip": _account_or_address, "ip": "ip"}


def log_exceeded(request, group=""):
    """One JSON line on the security logger: who went past which group's rate, where."""
    user = getattr(request, "user", None)
    security_logger.warning(
        "rate limit exceeded",
        extra={
            "event": {
                "action": "ratelimit.exceeded",
                "group": group,
                "path": request.path,
                "method": request.method,
                "actor_id": user.pk if user is not None and user.is_authenticated else None,
                "client_address": request.META.get("REMOTE_ADDR"),
            }
        },
    )


def _rate_of(group, key):
    # Read at request time, so that a change of settings (or a test's override) applies at once.
    return lambda ratelimit_group, request: settings.RATE_LIMITS[group].get(key)


def charge(request, group: str, units: int, *, methods=UNSAFE) -> None:
    """Count ``units`` more requests of ``group`` against this request's account and address: a request that
    cost more than usual (a slow verification) uses more of the rate. ``methods`` as given to
    :func:`rate_limited` (the counters are kept per method set)."""
    for _ in range(max(0, int(units))):
        for key, counted_by in KEYS.items():
            get_usage(
                request,
                group=f"{group}:{key}",
                key=counted_by,
                rate=_rate_of(group, key),
                method=methods,
                increment=True,
            )


def rate_limited(group, *, methods=UNSAFE, on_limit=None):
    """Limit ``group``'s requests made with ``methods`` (default: POST, PUT, PATCH, DELETE; ``ALL`` for all).

    ``on_limit(request)``, when given, makes the answer past the rate (after the event is logged); by default
    it is the translated 429 page.
    """
    if group not in settings.RATE_LIMITS:
        raise KeyError(f"rate_limited: no group {group!r} in settings.RATE_LIMITS")

    def decorator(view):
        @functools.wraps(view)
        def limited_view(request, *args, **kwargs):
            if getattr(request, "limited", False):
                log_exceeded(request, group)
                if on_limit is not None:
                    return on_limit(request)
                from eservices.core.views import too_many_requests  # the views import this module

                return too_many_requests(request, logged=True)
            return view(request, *args, **kwargs)

        wrapped = limited_view
        for key, counted_by in KEYS.items():
            wrapped = ratelimit(
                group=f"{group}:{key}", key=counted_by, rate=_rate_of(group, key), method=methods, block=False
            )(wrapped)
        wrapped.rate_limit_group = group
        return wrapped

    return decorator
