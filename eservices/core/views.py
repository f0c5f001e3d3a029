"""Health endpoints for the load balancer and the orchestrator, and the page of an exceeded rate limit."""

import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .ratelimits import log_exceeded

JSON = "application/json; charset=utf-8"  # with its charset, as every JSON response of the portal


@require_GET
@never_cache
def healthz(request):
    """The process answers."""
    return JsonResponse({"status": "ok"}, content_type=JSON)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_storage():
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    _check_free_space()


class LowDiskSpace(Exception):
    pass


def _check_free_space():
    """The local folders deposits are written to (uploads, documents) keep READYZ_MIN_FREE_PERCENT free."""
    folders = {Path(settings.INTAKE_WORK_DIR)}
    location = getattr(default_storage, "location", None)  # local storage only: object storage has no "full"
    if location:
        folders.add(Path(location))
    for folder in sorted(folders):
        usage = shutil.disk_usage(folder if folder.exists() else folder.parent)
        free_percent = 100 * usage.free / usage.total
        if free_percent < settings.READYZ_MIN_FREE_PERCENT:
            raise LowDiskSpace(f"{free_percent:.0f}% free, under {settings.READYZ_MIN_FREE_PERCENT}%")


def _check_redis():
    if hasattr(cache, "ping"):  # eservices.core.cache: reach Redis itself, not the in-memory fallback
        cache.ping()
        return
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 5)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)


@require_GET
@never_cache
def readyz(request):
    """The database, the document storage (with enough free space) and, when configured, Redis can be reached.

    Like /healthz it is answered before the session, locale and CSRF middleware (core.middleware.ProbeMiddleware):
    a probe never reads a session, so a cookie sent while the database is down cannot turn it into a 500.
    """
    checks = {"database": _check_database, "storage": _check_storage}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except LowDiskSpace as error:
            results[name] = f"error: {error}"
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            results[name] = f"error: {type(error).__name__}"
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503, content_type=JSON
    )


def too_many_requests(request, exception=None, *, logged=False):
    """The page shown when a rate limit is exceeded (also django-ratelimit's RATELIMIT_VIEW): 429, translated."""
    if not logged:
        log_exceeded(request)
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_POST
def set_language(request):
    """Django's ``set_language``, reading the ``next`` page's address in that page's own language.

    Django turns ``/fr/...`` into ``/nl/...`` by resolving it in the active language, which comes from the
    language cookie on this unprefixed address: when the cookie and the page differ, ``/fr/...`` does not
    resolve and the person stays on the page in the old language. The query string is kept either way.
    """
    language = translation.get_language_from_path(urlsplit(request.POST.get("next", "")).path)
    if language:
        translation.activate(language)
    return i18n.set_language(request)
