"""Serving a stored file: only released files, through the project's one file-serving path."""

from django.http import Http404

from eservices.core.downloads import deliver, file_response


def attachment_response(request, stored_file, *, record):
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
