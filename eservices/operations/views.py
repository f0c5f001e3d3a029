"""The operator's status page: what /readyz does not cover, for the functional administrators (read only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from eservices.identity.access import administrator_required

from . import status


@require_GET
@administrator_required
def status_page(request: HttpRequest) -> HttpResponse:
    """Antivirus, TSA, worker, each scheduled job, the oldest waiting work and the last audit checkpoint; late ones
    first and flagged, as ``manage.py ops_status`` reports them to the monitoring."""
    checks = sorted(status.report(), key=lambda check: check.ok)
    return render(
        request,
        "operations/status.html",
        {"checks": checks, "late": [check for check in checks if not check.ok], "now": timezone.now()},
    )
