""" "My data": a person downloads everything the portal holds about them (see ``personal_data``)."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from eservices.core.ratelimits import rate_limited
from eservices.identity import services as identity_services

from . import personal_data


@login_required
@require_GET
def my_data(request):
    """What the export holds, and the button that makes it."""
    return render(request, "portal/my_data.html", {"sections": personal_data.SECTIONS})


@never_cache
@login_required
@require_POST
@rate_limited("my_data_export")
def export(request):
    """The export as a streamed JSON attachment; the export (with its counts) is recorded before it starts."""
    user = request.user
    identity_services.record_personal_data_export(actor=user, counts=personal_data.counts(user), request=request)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in personal_data.stream(user)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"my-data-{timezone.localdate():%Y-%m-%d}.json")
    response["X-Content-Type-Options"] = "nosniff"
    return response
