"""deploy/: the nginx site, clamd's configuration, the Procfile and the systemd units come from one source."""

import io
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command

from conftest import require_service
from eservices.operations import deploy


def render(tmp_path):
    call_command("render_deploy", "--out", str(tmp_path), "--web-ports", "8001,8002", stdout=io.StringIO())
    return {path.relative_to(tmp_path).as_posix(): path.read_text() for path in tmp_path.rglob("*") if path.is_file()}


def test_nginx_accepts_the_largest_submission_and_forwards_what_django_needs(tmp_path, settings):
    settings.INTAKE_MAX_SUBMISSION_BYTES = 500 * 1024 * 1024
    nginx = render(tmp_path)["nginx.conf"]
    assert "client_max_body_size 501m;" in nginx  # nginx's default (1 MB) answered 413 to any real deposit
    for line in (
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header Host $http_host;",  # with the port: links and CSRF origins on a non-default port
        'proxy_set_header Connection "";',
        "keepalive 32;",
        "server 127.0.0.1:8001",
        "server 127.0.0.1:8002",
        "internal;",
        "location /static/",
    ):
        assert line in nginx
    assert "@@" not in nginx and "add_header Content-Security-Policy" not in nginx


def test_every_process_is_in_the_procfile_and_has_a_systemd_unit(tmp_path):
    files = render(tmp_path)
    procfile = dict(line.split(": ", 1) for line in files["Procfile"].splitlines())
    assert set(procfile) == {"web1", "web2", "worker", "scheduler", "clamd", "freshclam"}
    assert "run_scheduler" in procfile["scheduler"] and "db_worker" in procfile["worker"]
    for name, command in procfile.items():
        assert f"ExecStart={command}\n" in files[f"systemd/secm-{name}.service"]
        assert f"secm-{name}.service" in files["systemd/secm.target"]
    assert "StreamMaxLength 51M" in files["clamd.conf"] and "MaxFileSize 101M" in files["clamd.conf"]


def test_nginx_takes_the_rendered_site(tmp_path):
    """nginx -t on the rendered site (TLS placeholders replaced by a throw-away certificate)."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        require_service("nginx (Debian package nginx) is not installed")
    subprocess.run(
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=test",
            "-days",
            "1",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = deploy.Site(
        config_dir=tmp_path,
        web_ports=(8001,),
        http_listen="127.0.0.1:8080",  # nginx -t does not bind
        https_listen="127.0.0.1:8443",
        tls_certificate=str(tmp_path / "cert.pem"),
        tls_certificate_key=str(tmp_path / "key.pem"),
    )
    deploy.write(site)
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/nginx.conf; }}\n"
    )
    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "main.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
