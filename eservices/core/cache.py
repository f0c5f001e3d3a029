"""The cache of a portal with Redis, which keeps answering while Redis is down.

Redis holds the rate-limit counters (django-ratelimit), the staff lockout counters and the identity provider's
discovery document: nothing that must survive. When Redis cannot be reached, :class:`RedisCacheWithLocalFallback`
answers from this process's memory instead of raising, so users get their pages, not a 500: limits are then
counted per process (each web process enforces the rate on its own, so a client spread over N processes may get
up to N times the rate) rather than failing open (no limit) or closed (every deposit refused near a deadline).
A warning is logged, at most once a minute per process, and ``/readyz`` reports Redis as down (see
:meth:`RedisCacheWithLocalFallback.ping`). Sessions never live in this cache (see SESSION_ENGINE in the settings).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
# Counters kept in memory while Redis is down: long enough for the longest window of RATE_LIMITS (one hour).
LOCAL_TIMEOUT_SECONDS = 3600


class RedisCacheWithLocalFallback(RedisCache):
    """Django's Redis cache; while Redis cannot be reached, this process's memory."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": LOCAL_TIMEOUT_SECONDS})
        self._warned_at = 0.0

    def ping(self):
        """Reach Redis itself (no fallback): the readiness probe's check."""
        self._cache.get_client(write=True).ping()

    def _either(self, name, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            now = time.monotonic()
            if now - self._warned_at >= WARN_EVERY_SECONDS:
                self._warned_at = now
                logger.warning(
                    "Redis unreachable: the cache falls back to this process's memory",
                    extra={"event": {"action": "cache.redis_unreachable", "error": type(error).__name__}},
                )
            return getattr(self, f"_local_{name}", getattr(self._local, name))(*args, **kwargs)

    def _local_incr(self, key, delta=1, version=None):
        """A counter that Redis held is started again here (LocMemCache's incr refuses a missing key)."""
        self._local.add(key, 0, version=version)
        return self._local.incr(key, delta, version=version)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    def clear(self):
        return self._either("clear")
