from django.tasks import task

from . import services


@task
def scan_pending_files():
    """Scan what waits for the antivirus; for a worker's schedule (see ``process_pending_scans``)."""
    return len(services.process_pending_scans())
