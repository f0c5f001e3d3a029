"""Downloads the back office builds in memory (evidence bundles)."""

from django.http import HttpResponse


def zip_response(data: bytes, filename: str) -> HttpResponse:
    """A ZIP as an attachment, never cached (it holds documents)."""
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
