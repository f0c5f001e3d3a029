""" "My data": a person downloads everything the portal holds about them (see ``personal_data``)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from eservices.audit.services import record

from . import personal_data


@login_required
@require_GET
def my_data(request):
    """What the export holds, and the button that makes it."""
    return render(request, "portal/my_data.html", {"sections": personal_data.SECTIONS})


@never_cache
@login_required
@require_POST
def export(request):
    """The export as a streamed JSON attachment; the export itself is recorded in the audit trail."""
    user = request.user
    data = personal_data.export(user)
    counts = {name: len(value) for name, value in data.items() if isinstance(value, list)}
    with transaction.atomic():
        record(
            "personal_data.exported",
            actor=user,
            capacity="data_subject",
            target=user,
            request=request,
            details={"counts": counts},
        )
    chunks = json.JSONEncoder(ensure_ascii=False, indent=1, default=DjangoJSONEncoder().default).iterencode(data)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
