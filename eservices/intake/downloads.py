"""Serving a stored file: only released files, through the project's one file-serving path."""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from eservices.core.downloads import deliver, file_response

from .models import StoredFile


def attachment_response(
    request: HttpRequest, stored_file: StoredFile, *, record: Callable[[], object]
) -> HttpResponseBase:
    """``core.downloads.file_response`` for a released file; ``Http404`` for any other (pending, infected, unscanned).

    The caller authorises the reader first; ``record()`` writes its audit event of the download, called when the
    answer hands the file over (``core.downloads.delivers_document``).
    """
    if not stored_file.is_released:
        raise Http404("file not available")
    response = file_response(
        request,
        name=stored_file.storage_key,
        filename=stored_file.display_name,
        media_type=stored_file.media_type,
        size=stored_file.size,
        sha256=stored_file.sha256,
    )
    return deliver(request, response, record)
