"""Downloads of case-file documents: check access, record the evidence, then stream (core.downloads)."""

import csv
import hashlib
import io
import os

from django.utils.translation import gettext as _

from eservices.core.downloads import ArchiveEntry, deliver, file_response, safe_filename, zip_response

from . import abilities, services


def _unit_code(capacity, case_file):
    return case_file.unit.code if capacity == abilities.STAFF_CAPACITY else ""


def document_download(request, document_id, *, inline=False):
    """One document, if the user may open it (404 otherwise); recorded as DOWNLOADED evidence when the answer
    hands it over (``core.downloads.delivers_document``)."""
    document, capacity = abilities.document_for_download(request.user, document_id)
    response = document_response(request, document, inline=inline)
    return deliver(
        request,
        response,
        lambda: services.record_downloads(
            actor=request.user,
            documents=[document],
            capacity=capacity,
            unit_code=_unit_code(capacity, document.case_file),
            request=request,
        ),
    )


def document_response(request, document, *, inline=False):
    """The streamed answer for one case-file document (the caller has checked access and records the download):
    its stored bytes under the name :func:`download_name` gives, with its media type, size and SHA-256."""
    return file_response(
        request,
        name=document.file.name,
        filename=download_name(document),
        media_type=document.media_type,
        size=document.size,
        sha256=document.sha256,
        inline=inline,
    )


def download_name(document):
    """The title with the extension of the original file: what the person sees in their downloads."""
    extension = os.path.splitext(document.original_filename)[1][:10]
    title = document.title
    return safe_filename(title if title.lower().endswith(extension.lower()) else f"{title}{extension}")


def inventory(documents):
    """The archive's first entry: a CSV of each document's title, date, author unit, size and SHA-256."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("File"), _("Title"), _("Date"), _("Author"), _("Size in bytes"), "SHA-256"])
    for arcname, document in documents:
        writer.writerow(
            [
                arcname,
                _csv_safe(document.title),
                document.document_date.isoformat(),
                _csv_safe(str(document.author_label)),
                document.size,
                document.sha256,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value):
    """A spreadsheet must not take a title for a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def case_file_archive(request, case_file_id):
    """All the documents the user may open in one ZIP with its inventory; each one recorded as downloaded."""
    case_file = abilities.case_file_for(request.user, case_file_id)
    staff = abilities.is_staff_of(request.user, case_file.unit_id)
    grant = None if staff else abilities.grant_for(request.user, case_file)
    capacity = abilities.get_abilities(request.user, case_file, grant=grant, staff=staff)["capacity"]
    documents = abilities.visible_documents(request.user, case_file, grant=grant, staff=staff)
    named = [(f"{number:04d}-{download_name(document)}", document) for number, document in enumerate(documents, 1)]
    archive_name = safe_filename(case_file.reference.replace("/", "-"))
    etag = hashlib.sha256("".join(document.sha256 for document in documents).encode()).hexdigest()
    response = zip_response(
        filename=f"{archive_name}.zip",
        first=(f"0000-{_('inventory')}.csv", inventory(named)),
        entries=[ArchiveEntry(arcname, document.file.name, document.size) for arcname, document in named],
        etag=etag,
    )
    return deliver(
        request,
        response,
        lambda: services.record_downloads(
            actor=request.user,
            documents=documents,
            capacity=capacity,
            unit_code=_unit_code(capacity, case_file),
            archive=True,
            request=request,
        ),
    )
