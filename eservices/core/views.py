"""Health endpoints for the load balancer and the orchestrator, and the page of an exceeded rate limit."""

import uuid
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


def _check_redis():
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 5)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)


@require_GET
@never_cache
def readyz(request):
    """The database, the document storage and, when configured, Redis can be reached."""
    checks = {"database": _check_database, "storage": _check_storage}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
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
