"""The production processes and the files that run them, from one source: PROCESSES.

``manage.py render_deploy`` writes, for one machine, the nginx site, clamd's and freshclam's configurations, a
Procfile (for honcho, the supervisor of ``make prod-local``) and systemd units: each names the same commands.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TEMPLATES = settings.BASE_DIR / "deploy" / "templates"
MB = 1024 * 1024


@dataclass(frozen=True)
class Process:
    name: str
    command: str  # {python}, {base} (the project's folder), {config} (the rendered folder), {port}
    why: str


PROCESSES = [
    Process(
        "web",
        "{python} -m gunicorn -c {base}/deploy/gunicorn.conf.py -b 127.0.0.1:{port} config.wsgi",
        "a web node (gunicorn); one per port of --web-ports, all behind nginx's upstream",
    ),
    Process("worker", "{python} {base}/manage.py db_worker", "the task worker (django-tasks-db): e-mails, receipts"),
    Process("scheduler", "{python} {base}/manage.py run_scheduler", "the periodic jobs, under a database lease"),
    Process("clamd", "clamd --config-file={config}/clamd.conf", "the antivirus (CLAMD_ADDRESS=unix:<socket>)"),
    Process("freshclam", "freshclam --daemon --config-file={config}/freshclam.conf", "clamd's signature updates"),
]


@dataclass(frozen=True)
class Site:
    """What differs between machines."""

    config_dir: Path
    web_ports: tuple[int, ...]
    server_name: str = "eservices.example"
    http_listen: str = "80"
    https_listen: str = "443"
    tls_certificate: str = "/etc/ssl/secm/fullchain.pem"
    tls_certificate_key: str = "/etc/ssl/private/secm.key"
    clamd_database: str = "/var/lib/clamav"
    python: str = "python"
    env_file: str = "/etc/secm/env"
    user: str = "secm"
    skip: tuple[str, ...] = ()  # processes not run on this machine (e.g. freshclam without internet)


def client_max_body_size() -> str:
    """The largest submission (INTAKE_MAX_SUBMISSION_MB) plus 1 MB for the form and multipart framing."""
    return f"{settings.INTAKE_MAX_SUBMISSION_BYTES // MB + 1}m"


def _fill(template: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise ValueError(f"{template}: a placeholder is left")
    return text


def commands(site: Site) -> dict[str, str]:
    """Each process of this machine, named as in the Procfile (web1, web2, ...), with its command line."""
    values = {"python": site.python, "base": str(settings.BASE_DIR), "config": str(site.config_dir)}
    result = {}
    for process in PROCESSES:
        if process.name in site.skip:
            continue
        if process.name == "web":
            for index, port in enumerate(site.web_ports, start=1):
                result[f"web{index}"] = process.command.format(**values, port=port)
        else:
            result[process.name] = process.command.format(**values)
    return result


def _systemd_unit(name: str, command: str, site: Site) -> str:
    return (
        f"# Rendered by manage.py render_deploy from eservices/operations/deploy.py: do not edit.\n"
        f"[Unit]\nDescription=SECM eServices {name}\nPartOf=secm.target\nAfter=network-online.target\n\n"
        f"[Service]\nUser={site.user}\nWorkingDirectory={settings.BASE_DIR}\nEnvironmentFile={site.env_file}\n"
        f"ExecStart={command}\nRestart=always\nRestartSec=2\nKillSignal=SIGTERM\nTimeoutStopSec=90\n"
        f"NoNewPrivileges=yes\nPrivateTmp=yes\nProtectSystem=full\n\n[Install]\nWantedBy=secm.target\n"
    )


def _clamd_file_max_mb() -> int:
    """clamd scans an XLSX's members unpacked: its file limit is above the declared unpacked total too
    (docs/intake.md); its scan limit, which counts every byte scanned in one file, is well above that."""
    return max(settings.INTAKE_MAX_FILE_BYTES, settings.INTAKE_MAX_UNPACKED_BYTES) // MB + 1


def clamd_values(site: Site) -> dict[str, str]:
    """clamd's and freshclam's settings: the socket in the rendered folder, limits from the intake's."""
    return {
        "CLAMD_SOCKET": str(site.config_dir / "clamd.sock"),
        "CLAMD_DATABASE": site.clamd_database,
        "CLAMD_LOG": str(site.config_dir / "clamd.log"),
        "CLAMD_STREAM_MAX": f"{settings.INTAKE_MAX_FILE_BYTES // MB + 1}M",
        "CLAMD_FILE_MAX": f"{_clamd_file_max_mb()}M",
        "CLAMD_SCAN_MAX": f"{4 * _clamd_file_max_mb()}M",
        "FRESHCLAM_LOG": str(site.config_dir / "freshclam.log"),
        "CLAMD_CONFIG": str(site.config_dir / "clamd.conf"),
    }


def clamd_conf(site: Site) -> str:
    return _fill("clamd.conf", clamd_values(site))


def render(site: Site) -> dict[str, str]:
    """The files of this machine, by relative path."""
    files = {
        "nginx.conf": _fill(
            "nginx.conf",
            {
                "UPSTREAM_SERVERS": "\n".join(
                    f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in site.web_ports
                ),
                "SERVER_NAME": site.server_name,
                "HTTP_LISTEN": site.http_listen,
                "HTTPS_LISTEN": site.https_listen,
                "TLS_CERTIFICATE": site.tls_certificate,
                "TLS_CERTIFICATE_KEY": site.tls_certificate_key,
                "CLIENT_MAX_BODY_SIZE": client_max_body_size(),
                "CLIENT_BODY_TEMP": str(site.config_dir / "nginx-body"),
                "DOCUMENTS_ROOT": str(settings.DATA_DIR / "documents"),
                "STATIC_ROOT": str(settings.STATIC_ROOT or settings.DATA_DIR / "static"),
            },
        ),
        "clamd.conf": clamd_conf(site),
        "freshclam.conf": _fill("freshclam.conf", clamd_values(site)),
    }
    processes = commands(site)
    files["Procfile"] = "".join(f"{name}: {command}\n" for name, command in processes.items())
    for name, command in processes.items():
        files[f"systemd/secm-{name}.service"] = _systemd_unit(name, command, site)
    files["systemd/secm.target"] = (
        "[Unit]\nDescription=SECM eServices (every process of this machine)\n"
        f"Wants={' '.join(f'secm-{name}.service' for name in processes)}\n\n[Install]\nWantedBy=multi-user.target\n"
    )
    return files


def write(site: Site) -> list[Path]:
    written = []
    for relative, text in render(site).items():
        path = site.config_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (site.config_dir / "nginx-body").mkdir(exist_ok=True)
    return written
