"""Fixtures shared by every app's tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Each test writes its documents (and exported audit checkpoints) under its own temporary folder."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    storages = dict(django_settings.STORAGES)
    if storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "documents")}}
        settings.STORAGES = storages


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory):
    """One demo PKI per test worker (CA, platform signer, TSA), made once."""
    from eservices.signing import pki

    directory = tmp_path_factory.mktemp("pki")
    pki.make_demo_pki(directory, "test-passphrase")
    return directory


@pytest.fixture(autouse=True)
def _demo_signing_key(settings, demo_pki_dir):
    """Every test signs with the worker's demo key and the in-process demo TSA, unless it configures another."""
    settings.SIGNING_PKCS12_PATH = str(demo_pki_dir / "signer.p12")
    settings.SIGNING_PKCS12_PASSPHRASE = "test-passphrase"  # noqa: S105 - the test PKI's
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_TRUST_ROOTS = ""
    # Tests that send many deposits or verifications are not about abuse limits: those that check them set them.
    set_rates(settings, "deposit", user_or_ip="100000/m", ip="100000/m")
    set_rates(settings, "verification", ip="100000/m")


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database(worker_id):
    """Each pytest-xdist worker uses its own Redis database: another worker's ``cache.clear()`` (a FLUSHDB) must not
    wipe this worker's rate-limit counters in the middle of a test."""
    from django.test import override_settings

    default = django_settings.CACHES["default"]
    location = default.get("LOCATION", "")
    if worker_id == "master" or not location.startswith("redis://"):
        yield
        return
    base, _, database = location.rpartition("/")
    own = f"{base}/{int(database or 0) + 1 + int(worker_id.removeprefix('gw'))}"
    with override_settings(CACHES={**django_settings.CACHES, "default": {**default, "LOCATION": own}}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counter or cached value leaks from the one before."""
    cache.clear()


def set_rates(settings, group, **rates):
    """Change some rates of one group of ``settings.RATE_LIMITS`` (pytest-django's ``settings`` restores them)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: {**settings.RATE_LIMITS[group], **rates}}


SERVICE_MISSING = "service missing: "


def require_service(reason):
    """Skip a test whose external service is absent, or fail it when SECM_REQUIRE_SERVICES=1."""
    if django_settings.REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(SERVICE_MISSING + reason)


def pytest_terminal_summary(terminalreporter):
    """End with what was not tested and why: the services that were missing, their tests, the one command."""
    skipped = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(SERVICE_MISSING):
            skipped.setdefault(reason.removeprefix(SERVICE_MISSING), []).append(report.nodeid)
        elif "PostgreSQL" in reason:
            skipped.setdefault("PostgreSQL (set DATABASE_URL=postgres://...)", []).append(report.nodeid)
    if not skipped:
        return
    total = sum(len(tests) for tests in skipped.values())
    terminalreporter.section(f"{total} tests skipped: services missing", sep="=", yellow=True)
    for service, tests in sorted(skipped.items()):
        terminalreporter.line(f"{len(tests):4d}  {service}  (e.g. {tests[0]})")
    terminalreporter.line("Install them with: make system-packages   (then: make test; .ci/run does both)")


def log_in(client, user):
    """Log ``user`` in as the portal would after a successful login (staff: with their strong authentication).

    Every test logs in through this helper, so that the login's session markers live in one place: the same
    markers as ``identity.views.oidc_callback`` sets (staff at the staff level, Level500; citizens at Level450).
    """
    from eservices.identity import sessions

    client.force_login(user)
    session = client.session
    staff = user.memberships.exists()
    level = django_settings.OIDC_ACR_STAFF if staff else django_settings.OIDC_ACR_CITIZEN
    sessions.mark_login(session, acr=level, method=sessions.OIDC)
    session.save()


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (browsers cannot be downloaded here)."""
    executable = shutil.which("chromium")
    if executable is None:
        require_service("Debian's chromium (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh page; ``browser_page.log_in(user)`` gives it the session of a logged-in user."""
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(base_url=live_server.url, locale="fr-BE", timezone_id="Europe/Brussels")
    page = context.new_page()

    def log_in_page(user):
        client = Client()
        log_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.log_in = log_in_page
    yield page
    context.close()


AXE_SOURCE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page):
    """axe-core finds no WCAG 2.1 A/AA violation on the page as the browser rendered it."""
    if not AXE_SOURCE.exists():
        require_service("axe-core (npm ci)")
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> {[n['target'] for n in violation['nodes']]}"
        for violation in result["violations"]
    ]
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)
