from django.tasks import task

from . import reports


@task
def build_semester_report(report_id: int) -> None:
    """Build a semester report's PDF (queued by ``services.request_semester_report``)."""
    reports.build(report_id)
