import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from eservices.operations import deploy


class Command(BaseCommand):
    help = (
        "Write this machine's nginx site, clamd and freshclam configurations, Procfile and systemd units into "
        "--out, from eservices/operations/deploy.py (one source for every process). See docs/deployment.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write into (e.g. /etc/secm)")
        parser.add_argument("--web-ports", default="8001,8002", help="one gunicorn node per port")
        parser.add_argument("--server-name", default="eservices.example")
        parser.add_argument("--http-listen", default="80")
        parser.add_argument("--https-listen", default="443")
        parser.add_argument("--tls-certificate", default="/etc/ssl/secm/fullchain.pem")
        parser.add_argument("--tls-certificate-key", default="/etc/ssl/private/secm.key")
        parser.add_argument("--clamd-database", default="/var/lib/clamav")
        parser.add_argument("--env-file", default="/etc/secm/env", help="systemd: the settings' environment")
        parser.add_argument("--user", default="secm", help="systemd: the account the processes run as")
        parser.add_argument("--skip", default="", help="processes not run here, comma-separated (e.g. freshclam)")

    def handle(self, *args, **options):
        site = deploy.Site(
            config_dir=Path(options["out"]).resolve(),
            web_ports=tuple(int(port) for port in options["web_ports"].split(",") if port),
            server_name=options["server_name"],
            http_listen=options["http_listen"],
            https_listen=options["https_listen"],
            tls_certificate=options["tls_certificate"],
            tls_certificate_key=options["tls_certificate_key"],
            clamd_database=options["clamd_database"],
            python=sys.executable,
            env_file=options["env_file"],
            user=options["user"],
            skip=tuple(name for name in options["skip"].split(",") if name),
        )
        for path in deploy.write(site):
            self.stdout.write(str(path))
