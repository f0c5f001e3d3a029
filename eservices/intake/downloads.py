"""Serving a stored file: only released files, always as an attachment that no browser renders or runs."""

from django.http import FileResponse, Http404


def attachment_response(stored_file):
    """A streamed ``FileResponse`` for a released file; ``Http404`` for any other (pending, infected, unscanned).

    ``Content-Disposition: attachment`` with the cleaned display name (RFC 6266 ``filename*`` for non-ASCII
    names), the sniffed media type, ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``.
    The caller authorises the reader first, and records the download in its own audit event.
    """
    if not stored_file.is_released:
        raise Http404("file not available")
    response = FileResponse(
        stored_file.open(),
        as_attachment=True,
        filename=stored_file.display_name,
        content_type=stored_file.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response
