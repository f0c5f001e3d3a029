import os
import shutil

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eservices.intake.tests.corpus import clamav_signatures
from eservices.operations import deploy


class Command(BaseCommand):
    help = (
        "Run clamd in the foreground for the demo, with the project's configuration (deploy/templates/clamd.conf) "
        "in the data folder and a local signature database (EICAR and the project's test signature: no download). "
        "`make demo` starts it when clamav-daemon is installed; its socket is <data folder>/clamd/clamd.sock."
    )

    def handle(self, *args, **options):
        binary = shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)
        if binary is None:
            raise CommandError("clamd is not installed (Debian package clamav-daemon: make system-packages).")
        folder = settings.DATA_DIR / "clamd"
        site = deploy.Site(config_dir=folder, web_ports=(), clamd_database=str(clamav_signatures(folder / "db")))
        (folder / "clamd.conf").write_text(deploy.clamd_conf(site), encoding="utf-8")
        os.execv(binary, [binary, f"--config-file={folder / 'clamd.conf'}"])  # noqa: S606 # nosec B606 - clamd, our config
