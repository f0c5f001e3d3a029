"""Imported once by the sandbox's fork server (``eservices.core.sandbox``), so that each forked child starts with
the parsers imported and Django set up, instead of paying for them on every file (Django's set-up alone takes
about a second).

Django is set up only when the environment names a settings module (web processes, commands, tests); a failure
here only costs speed: a child that needs Django sets it up itself. Targets are imported by name from
``sandbox.TARGETS``.
"""

import importlib
import logging
import os

from eservices.core import sandbox

for _module in sandbox.PARSERS:
    importlib.import_module(_module)
_django = bool(os.environ.get("DJANGO_SETTINGS_MODULE"))
if _django:
    try:
        import django

        django.setup()
    except Exception:  # noqa: BLE001 - the children will try again, and fail closed
        logging.getLogger(__name__).exception("sandbox: Django could not be set up in the fork server")
        _django = False
for _path, _with_django in sandbox.TARGETS.values():
    if _django or not _with_django:
        importlib.import_module(_path.split(":")[0])
