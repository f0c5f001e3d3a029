"""Redis down (the drill found HTTP 500 for every signed-in user): pages answer, limits still count, per process.

Redis is "down" for real here: the cache points at a port where nothing listens (connection refused).
"""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches

from conftest import log_in, require_service
from eservices.core.tests.test_settings_profiles import manage
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The production profile's cache (config/settings.py with REDIS_URL), towards a Redis that is not there."""
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "eservices.core.cache.RedisCacheWithLocalFallback",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification": {"user_or_ip": "2/m", "ip": "3/m"}}
    yield
    caches["default"].close()


@pytest.mark.urls("eservices.core.tests.urls_for_tests")
@pytest.mark.usefixtures("redis_down")
def test_signed_in_users_get_their_pages_and_limits_still_count(client, caplog):
    log_in(client, UserFactory())
    assert client.get("/fr/").status_code == 200
    assert client.get("/fr/account/profile/").status_code == 200
    # the limit holds, counted in this process's memory: neither open (no limit) nor closed (all refused)
    assert [client.post("/test/limited/").status_code for _ in range(3)] == [200, 200, 429]
    assert any(getattr(record, "event", {}).get("action") == "cache.redis_unreachable" for record in caplog.records)


@pytest.mark.usefixtures("redis_down")
def test_readyz_says_redis_is_down_although_the_cache_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error: ConnectionError"


def test_sessions_live_in_the_database_with_redis(tmp_path):
    """The production shape: REDIS_URL set, sessions still read from the database (no cached copy in Redis)."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:1/0",
        SECM_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.contrib.sessions.backends.db",
        "eservices.core.cache.RedisCacheWithLocalFallback",
    ], result.stderr


def start_redis(folder, port):
    binary = shutil.which("redis-server")
    if binary is None:
        require_service("redis-server (Debian package redis-server) is not installed")
    process = subprocess.Popen(  # noqa: S603 - our own Redis on a spare port, append-only file as in deploy/
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=1).ping()
            return process
        except redis.RedisError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("redis-server did not start")


@pytest.mark.services
@pytest.mark.urls("eservices.core.tests.urls_for_tests")
def test_a_real_redis_stopped_and_restarted_loses_no_count(client, settings, tmp_path):
    """Our own redis-server (never the suite's): stopped, the limits go on in memory; restarted with its
    append-only file, the counts made before the stop are still there."""
    port = closed_port()
    process = start_redis(tmp_path, port)
    settings.CACHES = {
        "default": {
            "BACKEND": "eservices.core.cache.RedisCacheWithLocalFallback",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification": {"user_or_ip": None, "ip": "3/d"}}
    try:
        assert client.post("/test/limited/").status_code == 200  # counted in Redis: 1
        process.terminate()
        process.wait(timeout=30)
        assert client.post("/test/limited/").status_code == 200  # Redis down: counted in this process
        process = start_redis(tmp_path, port)
        caches["default"].close()
        assert [client.post("/test/limited/").status_code for _ in range(3)] == [200, 200, 429]  # 2, 3, then over
    finally:
        process.terminate()
        process.wait(timeout=30)
        caches["default"].close()
