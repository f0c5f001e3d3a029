"""Set up Django for a benchmark on a throw-away data folder (SQLite, local files, demo PKI, in-process TSA)."""

import os
import sys
import tempfile
from pathlib import Path


def setup():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    data = Path(tempfile.mkdtemp(prefix="secm-bench-"))
    os.environ["SECM_DATA_DIR"] = str(data)
    os.environ.setdefault("SECM_PROFILE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data
