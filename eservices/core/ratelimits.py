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

Where only some requests of a view are the costly action (a profile form saved with a new e-mail address, which
sends a confirmation mail; not one that changes the language), the view asks :func:`exceeded` at that point. It
counts the same two keys and, with ``address=``, a third one: ``address``, per e-mail address acted upon,
whoever asks (the mail's recipient is protected, not only the sender's quota).
"""

import functools
import logging

from django.conf import settings
from django_ratelimit import ALL, UNSAFE
from django_ratelimit.core import get_usage, is_ratelimited
from django_ratelimit.decorators import ratelimit

from eservices.core.clients import client_address

__all__ = ["ALL", "UNSAFE", "charge", "exceeded", "log_exceeded", "rate_limited"]

security_logger = logging.getLogger("eservices.security")


def _account_or_address(group, request):
    """Per account: its id and creation time (a reused id never inherits another account's counter);
    anonymous users are counted per client address (``core.clients``, which knows the trusted proxies; the
    ``ip`` key reads it too, through ``RATELIMIT_IP_META_KEY``)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}:{user.date_joined.timestamp()}"
    return f"ip:{client_address(request)}"


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
                "client_address": client_address(request),
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


def exceeded(request, group, *, address=""):
    """Count one action of ``group`` now and say whether it goes past one of its rates (then it is logged).

    For views where only some requests are the limited action. ``address`` (an e-mail address) is also
    counted under the group's ``address`` rate, case-insensitively; the cache holds only a hash of it.
    """
    keys = dict(KEYS)
    if address:
        normalised = address.strip().lower()
        keys["address"] = lambda ratelimit_group, request: f"address:{normalised}"
    limited = False
    for key, counted_by in keys.items():
        rate = settings.RATE_LIMITS[group].get(key)
        if rate and is_ratelimited(
            request, group=f"{group}:{key}", key=counted_by, rate=rate, method=ALL, increment=True
        ):
            limited = True
    if limited:
        log_exceeded(request, group)
    return limited


def over_rate(request, group: str, *, key, rate: str) -> bool:
    """Count this request against one rate kept by ``key`` (a ``(group, request) -> str`` function, e.g. per API
    client) and say whether it goes past; an exceeded rate is logged. For callers that are not Django views
    (DRF permissions); ``RATELIMIT_ENABLE`` switches it off like every other limit."""
    if not settings.RATELIMIT_ENABLE:
        return False
    if is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True):
        log_exceeded(request, group)
        return True
    return False
