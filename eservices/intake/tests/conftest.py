"""Fixtures of the intake tests: a private work folder, and a real clamd with a local signature database."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import require_service
from eservices.intake.tests.corpus import clamav_signatures

CLAMD_STREAM_MAX = "8M"  # small, so that a test can pass it


def _find_clamd():
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if Path(p).exists()), None)


def _clamd_pings(path):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """Start clamd (foreground, own config, local signatures, unix socket in a temp folder); freshclam never runs."""
    binary = _find_clamd()
    if binary is None:
        yield None
        return
    folder = tmp_path_factory.mktemp("clamd")
    database = clamav_signatures(folder / "db")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {sock}",
                f"DatabaseDirectory {database}",
                f"TemporaryDirectory {folder}",
                f"LogFile {folder / 'clamd.log'}",
                f"PidFile {folder / 'clamd.pid'}",
                f"StreamMaxLength {CLAMD_STREAM_MAX}",
                "MaxThreads 2",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if process.poll() is not None or _clamd_pings(sock):
                break
            time.sleep(0.1)
        yield sock if _clamd_pings(sock) else None
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(autouse=True)
def _intake_settings(settings, tmp_path):
    settings.INTAKE_WORK_DIR = str(tmp_path / "intake-work")
    settings.CLAMD_ADDRESS = ""
    settings.CLAMD_TIMEOUT = 30


@pytest.fixture
def clamd(settings, clamd_socket):
    """A real clamd for this test (skipped when clamd is absent, failed in CI)."""
    if clamd_socket is None:
        require_service("clamd (Debian package clamav-daemon) is not installed or did not start")
    settings.CLAMD_ADDRESS = f"unix:{clamd_socket}"
    return settings.CLAMD_ADDRESS
