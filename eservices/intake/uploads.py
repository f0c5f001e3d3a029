"""Upload handling that never holds a file in memory and stops reading at the limit.

``LimitedUploadHandler`` (in FILE_UPLOAD_HANDLERS) writes every uploaded file to a temporary file on disk in
chunks, and stops reading the request as soon as one file passes the per-file limit or all files together pass
the per-submission limit. A view that knows its policy calls :func:`use_policy` before touching
``request.POST``/``request.FILES``, and :func:`limit_rejection` afterwards to learn whether the upload was cut.
"""

import contextlib
import errno
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils import timezone

from . import policies

POLICY_ATTRIBUTE = "_intake_policy"
CUT_ATTRIBUTE = "_intake_upload_cut"
CUT_NAME_ATTRIBUTE = "_intake_upload_cut_name"
RECEIVED_ATTRIBUTE = "_intake_received_at"


def use_policy(request, policy):
    """Apply ``policy``'s limits to this request's upload (call before reading ``request.POST``)."""
    setattr(request, POLICY_ATTRIBUTE, policies.get(policy))


def limit_rejection(request):
    """``None``, or ``(code, limit)`` when the upload was cut at a limit (then ``request.FILES`` is incomplete).

    ``services.refuse_cut_upload(request, policy=...)`` records the refusal as evidence.
    """
    return getattr(request, CUT_ATTRIBUTE, None)


def cut_file_name(request):
    """The name the client gave the file whose upload was cut, or ``""``."""
    return getattr(request, CUT_NAME_ATTRIBUTE, "")


def received_at(request):
    """When the portal received the request's last byte (before any type check or virus scan): the moment a
    deposit is made (docs/deadlines.md). Without an upload handler's report, now."""
    return getattr(request, RECEIVED_ATTRIBUTE, None) or timezone.now()


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Every file goes to disk (no in-memory copy); the limits are enforced while the body is read."""

    chunk_size = 64 * 1024

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        policy = getattr(self.request, POLICY_ATTRIBUTE, None)
        self.max_file = policy.max_file_bytes if policy else policies.largest_file_bytes()
        self.max_total = policy.max_submission_bytes if policy else settings.INTAKE_MAX_SUBMISSION_BYTES
        self.total = 0
        self.current = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.current = 0
        self.current_name = file_name
        # FILE_UPLOAD_TEMP_DIR is under the intake's work folder: cleanup_intake removes what a killed worker left.
        Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
        with _storage_full_cuts(self):
            return super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.current += len(raw_data)
        self.total += len(raw_data)
        if self.current > self.max_file:
            self._cut("too_large", self.max_file)
        if self.total > self.max_total:
            self._cut("submission_too_large", self.max_total)
        with _storage_full_cuts(self):
            return super().receive_data_chunk(raw_data, start)

    def upload_complete(self):
        setattr(self.request, RECEIVED_ATTRIBUTE, timezone.now())  # the last byte is in
        return super().upload_complete()

    def _cut(self, code, limit):
        setattr(self.request, CUT_ATTRIBUTE, (code, limit))
        setattr(self.request, CUT_NAME_ATTRIBUTE, getattr(self, "current_name", "") or "")
        if self.file is not None:
            self.file.close()  # the temporary file is deleted on close
        raise StopUpload(connection_reset=True)


STORAGE_FULL = (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def _storage_full_cuts(handler):
    """A full disk while the body is written to its temporary file cuts the upload as "storage_full" (recorded by
    ``services.refuse_cut_upload``) instead of an error page; the partial temporary file is deleted."""
    try:
        yield
    except OSError as error:
        if error.errno not in STORAGE_FULL:
            raise
        handler._cut("storage_full", 0)
