import pytest
from django.core.files.storage import default_storage

from conftest import require_service


def test_healthz_answers_json(client):
    """The process is alive without touching the database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_storage(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_storage_fails(client, monkeypatch):
    """A storage that refuses writes makes the instance not ready."""
    default_storage.exists("warm-up")  # resolve the lazy storage before patching its class

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(default_storage._wrapped), "save", broken_save)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error: OSError"


@pytest.mark.django_db
@pytest.mark.services
def test_readyz_checks_redis_when_configured(client, settings):
    """With REDIS_URL set, the real Redis is part of readiness."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        require_service("Redis on 127.0.0.1:6379")
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_unreachable_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")
