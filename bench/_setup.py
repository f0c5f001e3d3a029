"""Shared start of the bench scripts: a throw-away data folder and database, migrated, Django set up."""

import os
import sys
import tempfile
from pathlib import Path


def setup():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("SECM_DATA_DIR", tempfile.mkdtemp(prefix="secm-bench-"))
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return Path(os.environ["SECM_DATA_DIR"])
