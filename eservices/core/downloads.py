"""Handing stored files to a browser: streamed in constant memory, with ranges, ETags and safe headers.

Shared by every app that serves documents (case files, the mailbox, the back office's attachments). Callers
check access, build the answer here, then record the download when :func:`delivers_document` says the answer
hands the document over (the bytes only flow once the view has returned, so the record comes first):

* one file: ``file_response()`` streams it in chunks, answers ``Range`` (a single range; ``If-Range``),
  ``If-None-Match`` and sets an ETag from the file's SHA-256; in the production profile it hands the bytes to
  the web server (``X-Accel-Redirect``) or redirects to a short-lived signed storage URL (S3);
* several files: ``zip_response()`` builds a ZIP on the fly with zipstream-ng (stored, not compressed, so
  the size is known before the first byte), an inventory as its first entry.

Every answer carries ``Content-Disposition`` (RFC 6266, with a UTF-8 ``filename*``), ``nosniff``,
``Content-Security-Policy: sandbox`` (a document opened in the browser runs no script and reaches nothing)
and ``Cache-Control: no-store``.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from zipstream import ZipStream

CHUNK_SIZE = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name, default="document"):
    """A file name fit for a header and a file system: no path, no control or reserved characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE.sub("_", name).strip(" .")
    return name[:150] or default


def content_disposition(filename, *, inline=False):
    """RFC 6266: an ASCII ``filename`` for old clients and the exact name as UTF-8 in ``filename*``.

    Hand-written on purpose: Django's ``content_disposition_header`` writes either ``filename`` (an ASCII name)
    or ``filename*`` alone (any other), so a user's "Rapport d'expertise é.pdf" would reach old clients with no
    name at all; both parameters, always, are what the download tests require. Names the code makes itself
    (ASCII only) use Django's function (the audit export, "My data")."""
    filename = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "document"
    ascii_name = ascii_name.replace("%", "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _protect(response, filename, *, inline=False):
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


def stream_file(name, start=0, length=None, chunk_size=CHUNK_SIZE):
    """Yield the bytes of a stored file from ``start``, ``length`` of them (all by default); opened lazily."""
    with default_storage.open(name, "rb") as stored:
        if start:
            stored.seek(start)
        remaining = length
        while remaining is None or remaining > 0:
            chunk = stored.read(chunk_size if remaining is None else min(chunk_size, remaining))
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def parse_range(header, size):
    """The (start, end) of a single ``bytes=`` range, None to send everything, or "unsatisfiable"."""
    match = RANGE.match((header or "").strip())
    if not match or match.groups() == ("", ""):
        return None  # absent, several ranges or malformed: ignoring the header is allowed (RFC 9110 14.2)
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def etag_matches(header, etag):
    return header is not None and (header.strip() == "*" or etag in [tag.strip() for tag in header.split(",")])


def _hands_over(response, start, end):
    """Mark ``response`` as carrying the document's bytes ``start``..``end`` (what :func:`delivers_document` reads)."""
    response.document_bytes = (start, end)
    return response


def file_response(request, *, name, filename, media_type, size, sha256, inline=False):
    """Answer a GET or HEAD for one stored file (see the module's docstring)."""
    etag = f'"{sha256}"'
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    offload = settings.DOWNLOAD_OFFLOAD
    if_range = request.headers.get("If-Range")
    if offload == "signed_url":
        # The storage serves the bytes (and ranges); the URL lives DOWNLOAD_SIGNED_URL_SECONDS and fetches the
        # whole file as often as its holder likes within that time, whatever this request's Range said.
        url = default_storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition(filename, inline=inline),
                "ResponseContentType": media_type,
                "ResponseCacheControl": "no-store",
            },
            expire=settings.DOWNLOAD_SIGNED_URL_SECONDS,
        )
        return _hands_over(_protect(HttpResponseRedirect(url), filename, inline=inline), 0, size - 1)
    # Behind the web server (accel), it answers the request's Range itself, but If-Range against its own
    # validators, not this ETag: with an If-Range there, count on the whole file leaving.
    honour_range = if_range is None or (offload != "accel" and if_range.strip() == etag)
    byte_range = parse_range(request.headers.get("Range"), size) if honour_range else None
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _protect(response, filename, inline=inline)
    start, end = byte_range or (0, size - 1)
    if offload == "accel":
        # The web server sends the bytes from its internal location and answers the request's range itself.
        response = HttpResponse(content_type=media_type)
        response["X-Accel-Redirect"] = settings.DOWNLOAD_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
        response["ETag"] = etag
        return _hands_over(_protect(response, filename, inline=inline), start, end)
    if byte_range is None:
        response = StreamingHttpResponse(stream_file(name), content_type=media_type)
        response["Content-Length"] = str(size)
    else:
        response = StreamingHttpResponse(stream_file(name, start, end - start + 1), content_type=media_type, status=206)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    return _hands_over(_protect(response, filename, inline=inline), start, end)


def delivers_document(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Does this answer hand the document over? The one rule deciding whether a download is recorded.

    Yes when the answer carries the document's first byte: a plain 200 (no range, several ranges, a stale
    ``If-Range``), a 206 from byte 0 (``bytes=0-``, a suffix range covering the file), the web server's
    ``X-Accel-Redirect`` for such a range, a ZIP, and a redirect to a signed storage URL for any method (the
    URL fetches the whole file). No for HEAD otherwise (headers only), 304 Not Modified, 416 and every refusal:
    no byte of the document leaves. A range that continues a download (``bytes=65536-``) is not recorded again.
    """
    document_bytes = getattr(response, "document_bytes", None)
    if document_bytes is None:
        return False
    if request.method == "HEAD" and not isinstance(response, HttpResponseRedirect):
        return False
    return document_bytes[0] == 0


def deliver(request: HttpRequest, response: HttpResponseBase, record: Callable[[], object]) -> HttpResponseBase:
    """Call ``record()`` (the evidence or audit event of the download) when ``response`` hands the document
    over, then return ``response``; its bytes only flow after the view returns, so nothing leaves unrecorded."""
    if delivers_document(request, response):
        record()
    return response


@dataclass
class ArchiveEntry:
    arcname: str
    name: str  # the storage key
    size: int


def zip_response(*, filename, entries, first=None, etag=None):
    """Stream a ZIP of stored files, built on the fly; ``first`` is (arcname, bytes) put before them."""
    archive = ZipStream(sized=True)
    if first is not None:
        archive.add(first[1], first[0])
    for entry in entries:
        archive.add(stream_file(entry.name), entry.arcname, size=entry.size)
    response = StreamingHttpResponse(archive, content_type="application/zip")
    response["Content-Length"] = str(len(archive))
    response["Accept-Ranges"] = "none"
    if etag:
        response["ETag"] = f'W/"{etag}"'
    return _hands_over(_protect(response, filename), 0, len(archive) - 1)
