"""`make demo` scans uploads when clamd is installed, and says on every page when nothing scans them."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import require_service
from eservices.intake.tests import clamd as clamd_process

ROOT = Path(__file__).resolve().parents[3]


def test_demo_clamd_runs_clamd_with_the_projects_configuration(tmp_path):
    if clamd_process.binary() is None:
        require_service("clamd (Debian package clamav-daemon) is not installed")
    environment = {**os.environ, "SECM_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "demo_clamd"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL
    )
    try:
        sock = tmp_path / "clamd" / "clamd.sock"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and not clamd_process.pings(sock):
            time.sleep(0.2)
        assert clamd_process.pings(sock)
        assert "StreamMaxLength 51M" in (tmp_path / "clamd" / "clamd.conf").read_text()
    finally:
        clamd_process.stop(process)


@pytest.mark.django_db
def test_pages_say_when_files_are_released_unscanned(client, settings):
    settings.CLAMD_ADDRESS, settings.INTAKE_RELEASE_UNSCANNED = "", True
    assert "No antivirus is running here" in client.get("/en/").content.decode()
    settings.CLAMD_ADDRESS = "unix:/run/clamav/clamd.ctl"
    assert "No antivirus is running here" not in client.get("/en/").content.decode()
    settings.CLAMD_ADDRESS, settings.INTAKE_RELEASE_UNSCANNED = "", False  # production: files wait, none shown
    assert "No antivirus is running here" not in client.get("/en/").content.decode()
