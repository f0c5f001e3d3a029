"""The rendered stack for real: nginx (TLS) in front of two gunicorn nodes started from deploy/.

Skipped when nginx is absent (make system-packages installs it). Each node is a gunicorn with one process; the
portal runs on a SQLite file of the test's own folder (the probes and static pages need nothing else).
"""

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import require_service
from eservices.operations import deploy

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.services


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.https_port, self.http_port = free_port(), free_port()
        self.web_ports = (free_port(), free_port())
        self.nodes = {}
        self.nginx = None
        self.context = None

    def start(self, nginx_binary):
        openssl = shutil.which("openssl") or "/usr/bin/openssl"
        subprocess.run(  # noqa: S603 - a throw-away certificate for this test
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-days",
                "1",
                "-keyout",
                str(self.folder / "key.pem"),
                "-out",
                str(self.folder / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        self.context = ssl.create_default_context(cafile=str(self.folder / "cert.pem"))
        self.context.check_hostname = False
        site = deploy.Site(
            config_dir=self.folder,
            web_ports=self.web_ports,
            server_name="127.0.0.1",
            http_listen=f"127.0.0.1:{self.http_port}",
            https_listen=f"127.0.0.1:{self.https_port}",
            tls_certificate=str(self.folder / "cert.pem"),
            tls_certificate_key=str(self.folder / "key.pem"),
            python=sys.executable,
        )
        deploy.write(site)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "main.conf").write_text(
            f"{user}pid {self.folder}/nginx.pid; error_log {self.folder}/nginx-error.log;\nevents {{}}\n"
            f"http {{ access_log off; include {self.folder}/nginx.conf; }}\n"
        )
        environment = {
            **os.environ,
            "SECM_PROFILE": "test",
            "SECM_DATA_DIR": str(self.folder / "data"),
            "GUNICORN_CMD_ARGS": "--workers 1 --threads 2",
        }
        environment.pop("DATABASE_URL", None)
        commands = deploy.commands(site)
        for index, port in enumerate(self.web_ports, start=1):
            self.nodes[port] = subprocess.Popen(  # noqa: S603 - the command of the Procfile
                commands[f"web{index}"].split(),
                cwd=ROOT,
                env=environment,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.nginx = subprocess.Popen(  # noqa: S603
            [nginx_binary, "-p", str(self.folder), "-c", str(self.folder / "main.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: all(answers(port) for port in (*self.web_ports, self.https_port)))

    def get(self, path, data=None):
        request = urllib.request.Request(f"https://127.0.0.1:{self.https_port}{path}", data=data)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self):
        for process in [*self.nodes.values(), self.nginx]:
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def stack(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        require_service("nginx (Debian package nginx-light) is not installed")
    running = Stack(tmp_path)
    try:
        running.start(nginx)
        yield running
    finally:
        running.stop()


def test_nginx_serves_the_portal_over_tls_and_takes_a_large_deposit_body(stack):
    status, body = stack.get("/healthz")
    assert (status, body) == (200, b'{"status": "ok"}')
    # 5 MB: over nginx's default 1 MB limit (413) but under the intake's; Django answers (403: no CSRF token)
    status, _ = stack.get("/fr/deposits/new/", data=b"x" * (5 * 1024 * 1024))
    assert status == 403


def test_one_web_node_killed_under_load_fails_no_request(stack):
    """After a node is killed, nginx sends every request to the other one (none is answered 502)."""
    assert [stack.get("/healthz")[0] for _ in range(10)] == [200] * 10
    first = stack.nodes[stack.web_ports[0]]
    os.killpg(first.pid, signal.SIGKILL)  # the whole node: gunicorn's master and its worker
    first.wait(timeout=10)
    assert wait_until(lambda: not answers(stack.web_ports[0]))
    assert [stack.get("/healthz")[0] for _ in range(20)] == [200] * 20
