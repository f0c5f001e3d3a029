"""Fixtures of the intake tests: a private work folder, and a real clamd with a local signature database."""

import pytest

from conftest import require_service
from eservices.intake.tests import clamd as clamd_process

CLAMD_STREAM_MAX = "8M"  # small, so that a test can pass it
CLAMD_FILE_MAX = "6M"  # a file between the two is scanned only in part: reported as Heuristics.Limits.Exceeded


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """One clamd for the session (foreground, own config, unix socket in a temp folder); None when absent."""
    if clamd_process.binary() is None:
        yield None
        return
    process, sock = clamd_process.start(
        tmp_path_factory.mktemp("clamd"), stream_max=CLAMD_STREAM_MAX, file_max=CLAMD_FILE_MAX
    )
    try:
        yield sock
    finally:
        clamd_process.stop(process)


@pytest.fixture(autouse=True)
def _intake_settings(settings, tmp_path):
    settings.INTAKE_WORK_DIR = str(tmp_path / "intake-work")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "intake-work" / "uploads")
    settings.CLAMD_ADDRESS = ""
    settings.CLAMD_TIMEOUT = 30


@pytest.fixture
def clamd(settings, clamd_socket):
    """A real clamd for this test (skipped when clamd is absent, failed in CI)."""
    if clamd_socket is None:
        require_service("clamd (Debian package clamav-daemon) is not installed or did not start")
    settings.CLAMD_ADDRESS = f"unix:{clamd_socket}"
    return settings.CLAMD_ADDRESS
