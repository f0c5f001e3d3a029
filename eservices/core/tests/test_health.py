import pytest
from django.core.files.storage import default_storage

from conftest import log_in, require_service
from eservices.identity.tests.factories import UserFactory


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


@pytest.mark.django_db
def test_readyz_reports_a_nearly_full_disk(client, settings, monkeypatch):
    """93% full is not "ok": under READYZ_MIN_FREE_PERCENT free the node is not ready. (A disk cannot be filled
    here without harming the other users of the machine: its usage is faked.)"""
    import shutil

    total = 100 * 1024**3
    monkeypatch.setattr(
        shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(total, total * 93 // 100, total * 7 // 100)
    )
    settings.READYZ_MIN_FREE_PERCENT = 10
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error: 7% free, under 10%"
    settings.READYZ_MIN_FREE_PERCENT = 5
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_probes_never_read_the_session(client, django_assert_num_queries):
    """With a session cookie, /healthz runs no query at all and /readyz only its own check."""
    log_in(client, UserFactory())
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_probes_answer_with_a_session_cookie_while_the_database_is_down(client, monkeypatch):
    """The database going away (simulated: SQLite cannot be stopped) gives 200 and 503 JSON answers, never a 500."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    from eservices.core import views

    log_in(client, UserFactory())

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", database_down)
    monkeypatch.setattr(views, "connection", type("DownConnection", (), {"cursor": database_down})())
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"


@pytest.mark.django_db
def test_probes_are_not_redirected_to_https(client, settings):
    """The load balancer probes a node over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
