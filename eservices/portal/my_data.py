""" "My data": a person downloads everything the portal holds about them (see ``personal_data``)."""

import datetime
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from eservices.core import display
from eservices.core.ratelimits import rate_limited
from eservices.identity import services as identity_services

from . import personal_data


@login_required
@require_GET
def my_data(request):
    """What the export holds, and the button that makes it."""
    return render(request, "portal/my_data.html", {"sections": personal_data.SECTIONS})


# The readable page shows this many rows of each section; the JSON download holds them all.
PAGE_ROWS = 50
SECTION_TITLES = {
    "oidc_accounts": _("Your accounts at the identity provider"),
    "representations": _("Companies you represent or asked to represent"),
    "access_requests": _("Your access requests"),
    "access_grants": _("Your accesses to case files"),
    "party_records": _("You as a party of case files"),
    "messages": _("Messages of your mailbox"),
    "deposits": _("Your deposits"),
    "uploaded_files": _("Files you sent"),
    "refused_uploads": _("Files that were refused"),
    "emails": _("E-mails sent to your address"),
    "evidence_events": _("Evidence about your messages and deposits"),
    "audit_events": _("What you did, as the audit trail records it"),
    "events_about_you": _("What staff or the system did about your account"),
}


@never_cache
@login_required
@require_GET
def my_data_page(request):
    """The same data as the download, readable as a page (the first rows of each list); viewing is recorded."""
    user = request.user
    identity_services.record_personal_data_view(actor=user, request=request)
    sections = []
    for name, section in personal_data.SECTIONS.items():
        rows = list(islice(section.rows(user), PAGE_ROWS + 1))
        columns = list(rows[0]) if rows else []
        labels = [column.replace("_", " ").capitalize() for column in columns]
        sections.append(
            {
                "name": name,
                "title": SECTION_TITLES.get(name, name),
                "columns": labels,
                "rows": [
                    [(label, _readable(row.get(column))) for label, column in zip(labels, columns, strict=True)]
                    for row in rows[:PAGE_ROWS]
                ],
                "more": len(rows) > PAGE_ROWS,
            }
        )
    profile = personal_data.profile(user)
    return render(
        request,
        "portal/my_data_page.html",
        {
            "profile": [(key.replace("_", " ").capitalize(), _readable(value)) for key, value in profile.items()],
            "sections": sections,
            "page_rows": PAGE_ROWS,
        },
    )


def _readable(value) -> str:
    """A value of the export in plain text: ISO moments in the portal's format, lists and objects flattened."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return display.moment(moment, seconds=True)
    if isinstance(value, dict):
        return "; ".join(f"{key.replace('_', ' ')}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return " | ".join(_readable(item) for item in value) or "–"
    return str(value)


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
