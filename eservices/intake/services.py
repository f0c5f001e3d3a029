"""The intake pipeline's use cases: receive one file, receive a submission, scan what waits, clean up.

See the package docstring (``eservices/intake/__init__.py``) for the API callers use.
"""

import datetime
import hashlib
import logging
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from eservices.audit.services import record
from eservices.core.errors import ServiceUnavailable

from . import antivirus, content, policies, uploads
from .models import IntakeRejection, ScanStatus, StoredFile
from .names import clean_display_name, escape_control_characters, refuse_control_characters
from .reasons import Rejected
from .signals import scan_completed

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
KEY_PREFIX = "intake"
WORK_PREFIX = "upload-"


@dataclass
class IntakeResult:
    """The verdict on one file: an accepted :class:`StoredFile`, or a recorded :class:`IntakeRejection`."""

    display_name: str
    stored_file: StoredFile | None = None
    rejection: IntakeRejection | None = None
    replayed: bool = False  # the idempotency key was seen before: this is the earlier record

    @property
    def accepted(self):
        return self.stored_file is not None

    @property
    def code(self):
        return self.rejection.code if self.rejection else ""

    @property
    def reason(self):
        """The translated reason of a refusal (in the active language), or ``""``."""
        return self.rejection.reason if self.rejection else ""


@dataclass
class SubmissionResult:
    """The verdict on several files sent together: accepted only when every file is."""

    files: list = field(default_factory=list)

    @property
    def accepted(self):
        return all(result.accepted for result in self.files)

    @property
    def stored_files(self):
        return [result.stored_file for result in self.files if result.accepted]

    @property
    def rejections(self):
        return [result for result in self.files if not result.accepted]


@dataclass
class _Spooled:
    path: Path
    sha256: str
    size: int


def _work_dir():
    path = Path(settings.INTAKE_WORK_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _chunks(uploaded_file):
    if hasattr(uploaded_file, "chunks"):
        yield from uploaded_file.chunks(CHUNK)
        return
    while chunk := uploaded_file.read(CHUNK):
        yield chunk


def _spool(uploaded_file, *, limit, limit_code):
    """Copy the upload to a private work file while hashing and counting; stop as soon as ``limit`` is passed."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=_work_dir(), prefix=WORK_PREFIX, delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            for chunk in _chunks(uploaded_file):
                size += len(chunk)
                if size > limit:
                    raise Rejected(limit_code, limit=limit, read=size)
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if size == 0:
            raise Rejected("empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _Spooled(path, digest.hexdigest(), size)


class _WorkFile(File):
    """The checked work file; local storage moves it into place (no second copy), object storage streams it."""

    def __init__(self, file, *, name, path):
        super().__init__(file, name=name)
        self._path = path

    def temporary_file_path(self):
        return str(self._path)


def _store(path):
    """Write the work file to storage under a generated key, flushed to disk where the storage is local."""
    key = f"{KEY_PREFIX}/{uuid.uuid4().hex}"
    with open(path, "rb") as file:
        try:
            saved = default_storage.save(key, _WorkFile(file, name=key, path=path))
        except OSError as error:
            _delete_quietly(key)  # a write cut short (a full disk) leaves no partial file behind
            if error.errno in uploads.STORAGE_FULL:
                raise  # refused as "storage_full" by receive()
            raise StorageUnavailable(f"the document storage refused {key}: {type(error).__name__}") from error
        except Exception as error:  # noqa: BLE001 - an object store failing, whatever its library
            _delete_quietly(key)  # an object store may keep a part of what it received
            raise StorageUnavailable(f"the document storage refused {key}: {type(error).__name__}") from error
    try:
        try:
            local = default_storage.path(saved)
        except NotImplementedError:  # object storage: the upload is complete when save() returns
            local = None
        if local:
            with open(local, "rb") as stored:
                os.fsync(stored.fileno())
    except BaseException:
        default_storage.delete(saved)
        raise
    return saved


class StorageUnavailable(ServiceUnavailable):
    """The document storage could not take a file: nothing is stored (the use case's transaction rolls back)."""


def _delete_quietly(key):
    try:
        default_storage.delete(key)
    except Exception:  # noqa: BLE001 - the storage is failing: cleanup_intake removes leftovers later
        logger.warning("intake: could not remove %s after a failed write", key)


def _delete_after_commit(key):
    transaction.on_commit(lambda: default_storage.delete(key))


def _actor_of(actor, request):
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    return actor if actor is not None and actor.pk else None


@transaction.atomic
def _reject(rejected, *, policy, display_name, original_name, actor, request, idempotency_key, submission, spooled):
    params = {key: value for key, value in rejected.params.items() if key != "read"}
    rejection = IntakeRejection.objects.create(
        policy=policy.name,
        code=rejected.code,
        params=params,
        display_name=display_name,
        original_name=original_name[:1000],
        size=spooled.size if spooled else rejected.params.get("read", 0),
        sha256=spooled.sha256 if spooled else "",
        actor=actor,
        idempotency_key=idempotency_key,
        submission=submission,
    )
    record(
        "intake.rejected",
        actor=actor,
        target=rejection,
        request=request,
        details={"policy": policy.name, "code": rejected.code, "params": params, "sha256": rejection.sha256},
    )
    return rejection


def receive(
    uploaded_file,
    *,
    policy,
    actor=None,
    idempotency_key="",
    request=None,
    submission=None,
    original_name=None,
    _limit=None,
):
    """Check, scan and store one uploaded file; return an :class:`IntakeResult` (never raises on bad input).

    ``uploaded_file`` is a Django ``UploadedFile`` or any binary file object; ``policy`` a name of
    :mod:`eservices.intake.policies`. The same ``idempotency_key`` from the same actor under the same policy
    always yields the same record.
    """
    policy = policies.get(policy)
    original_name = original_name if original_name is not None else getattr(uploaded_file, "name", "") or ""
    original_name = os.fspath(original_name) if isinstance(original_name, os.PathLike) else str(original_name)
    display_name = clean_display_name(original_name)
    sent_name, original_name = original_name, escape_control_characters(original_name)  # storable (no NUL)
    actor = _actor_of(actor, request)
    # Keys are scoped to the uploader, so that one person's key never returns another person's file.
    idempotency_key = f"{actor.pk if actor else '-'}:{idempotency_key}"[:200] if idempotency_key else ""
    if idempotency_key:
        existing = StoredFile.objects.filter(policy=policy.name, idempotency_key=idempotency_key).first()
        if existing is not None:
            return IntakeResult(display_name=existing.display_name, stored_file=existing, replayed=True)
    common = {
        "policy": policy,
        "display_name": display_name,
        "original_name": original_name,
        "actor": actor,
        "request": request,
        "idempotency_key": idempotency_key,
        "submission": submission,
    }
    spooled = None
    try:
        limit, limit_code = policy.max_file_bytes, "too_large"
        if _limit is not None and _limit < limit:
            limit, limit_code = _limit, "submission_too_large"
        try:
            spooled = _spool(uploaded_file, limit=limit, limit_code=limit_code)
            refuse_control_characters(sent_name)
            file_type = content.identify(spooled.path, display_name, policy.types)
            status, signature = ScanStatus.NOT_SCANNED, ""
            if antivirus.enabled():
                try:
                    verdict = antivirus.scan_file(spooled.path)
                except antivirus.ScannerUnavailable as error:
                    logger.warning("intake: antivirus unavailable, file kept pending: %s", error)
                    status = ScanStatus.PENDING
                else:
                    if verdict.status == "infected":
                        raise Rejected("infected", signature=verdict.signature)
                    if verdict.status == "not_scanned":
                        raise Rejected("not_scanned", detail=verdict.detail)
                    status = ScanStatus.CLEAN
            key = _store(spooled.path)
        except OSError as error:
            if error.errno not in uploads.STORAGE_FULL:
                raise
            logger.error("intake: storage full, %s refused: %s", display_name, error)
            rejection = _reject(Rejected("storage_full"), spooled=spooled, **common)
            return IntakeResult(display_name=display_name, rejection=rejection)
        except Rejected as rejected:
            rejection = _reject(rejected, spooled=spooled, **common)
            return IntakeResult(display_name=display_name, rejection=rejection)
        try:
            with transaction.atomic():
                stored = StoredFile.objects.create(
                    storage_key=key,
                    policy=policy.name,
                    sha256=spooled.sha256,
                    size=spooled.size,
                    media_type=file_type.media_type,
                    display_name=display_name,
                    original_name=original_name[:1000],
                    scan_status=status,
                    scan_signature=signature,
                    scanned_at=timezone.now() if status == ScanStatus.CLEAN else None,
                    uploaded_by=actor,
                    idempotency_key=idempotency_key,
                    submission=submission,
                )
                record(
                    "intake.stored",
                    actor=actor,
                    target=stored,
                    request=request,
                    details={"policy": policy.name, "sha256": stored.sha256, "size": stored.size, "scan": status},
                )
        except IntegrityError:
            default_storage.delete(key)
            existing = StoredFile.objects.filter(policy=policy.name, idempotency_key=idempotency_key).first()
            if not idempotency_key or existing is None:
                raise
            return IntakeResult(display_name=existing.display_name, stored_file=existing, replayed=True)
        except BaseException:
            default_storage.delete(key)
            raise
        return IntakeResult(display_name=display_name, stored_file=stored)
    finally:
        if spooled is not None:
            spooled.path.unlink(missing_ok=True)


def refuse_cut_upload(request, *, policy, actor=None):
    """Record the refusal of an upload that ``uploads.LimitedUploadHandler`` cut at a limit, if it was cut.

    Returns an :class:`IntakeResult` (refused) or ``None`` when the request's upload was complete.
    """
    cut = uploads.limit_rejection(request)
    if cut is None:
        return None
    code, limit = cut
    policy = policies.get(policy)
    name = uploads.cut_file_name(request)
    rejection = _reject(
        Rejected(code, limit=limit),
        policy=policy,
        display_name=clean_display_name(name),
        original_name=name,
        actor=_actor_of(actor, request),
        request=request,
        idempotency_key="",
        submission=None,
        spooled=None,
    )
    return IntakeResult(display_name=rejection.display_name, rejection=rejection)


def receive_submission(files, *, policy, actor=None, idempotency_key="", request=None):
    """Receive several files sent together, all or nothing: a :class:`SubmissionResult`.

    The count and the total size are limited by the policy (the total while reading). When any file is
    refused, the accepted ones are withdrawn too (each recorded as ``submission_refused``), so that the
    caller refuses the whole submission and can say per file what failed.
    """
    policy = policies.get(policy)
    submission = uuid.uuid4()
    actor = _actor_of(actor, request)
    files = list(files)
    outcome = SubmissionResult()
    refused = None
    if len(files) > policy.max_files:
        refused = Rejected("too_many_files", count=policy.max_files)
    elif sum(getattr(file, "size", None) or 0 for file in files) > policy.max_submission_bytes:
        refused = Rejected("submission_too_large", limit=policy.max_submission_bytes)
    if refused is not None:
        for file in files:
            name = str(getattr(file, "name", "") or "")
            rejection = _reject(
                refused,
                policy=policy,
                display_name=clean_display_name(name),
                original_name=name,
                actor=actor,
                request=request,
                idempotency_key="",
                submission=submission,
                spooled=None,
            )
            outcome.files.append(IntakeResult(display_name=rejection.display_name, rejection=rejection))
        return outcome
    budget = policy.max_submission_bytes
    try:
        for index, file in enumerate(files):
            result = receive(
                file,
                policy=policy,
                actor=actor,
                request=request,
                idempotency_key=f"{idempotency_key}:{index}" if idempotency_key else "",
                submission=submission,
                _limit=budget,
            )
            outcome.files.append(result)
            if result.accepted:
                budget -= result.stored_file.size
    except BaseException:
        # A storage or database failure on a later file: the files already stored belong to nothing.
        for result in outcome.files:
            if result.accepted and not result.replayed:
                discard(result.stored_file, actor=actor, request=request, reason="submission_failed")
        raise
    if not outcome.accepted:
        outcome.files = [
            _withdraw(result, actor=actor, request=request) if result.accepted else result for result in outcome.files
        ]
    return outcome


@transaction.atomic
def _withdraw(result, *, actor, request):
    """Undo an accepted file of a refused submission: its row goes, its bytes after commit; evidence stays."""
    stored = result.stored_file
    policy = policies.get(stored.policy)
    rejection = _reject(
        Rejected("submission_refused"),
        policy=policy,
        display_name=stored.display_name,
        original_name=stored.original_name,
        actor=actor,
        request=request,
        idempotency_key="",
        submission=stored.submission,
        spooled=_Spooled(Path(), stored.sha256, stored.size),
    )
    discard(stored, actor=actor, request=request)
    return IntakeResult(display_name=rejection.display_name, rejection=rejection)


@transaction.atomic
def discard(stored_file, *, actor=None, request=None, reason=""):
    """Withdraw an accepted file that its caller could not use (its own row failed, its submission was refused,
    nothing came to own it).

    The row goes now, the bytes after commit (so that a rollback keeps both); an ``intake.discarded`` event stays.
    A file that a record still holds (``ProtectedError``) stays whole, and so does the trail: no event.
    """
    details = {"sha256": stored_file.sha256, "storage_key": stored_file.storage_key}
    if reason:
        details["reason"] = reason
    record("intake.discarded", actor=actor, target=stored_file, request=request, details=details)
    key = stored_file.storage_key
    stored_file.delete()
    _delete_after_commit(key)


def process_pending_scans(*, limit=100):
    """Scan the files waiting in quarantine; stop at the first sign that clamd is still away.

    Returns the files that received a verdict. A file found infected, or that clamd could not scan, loses its
    bytes and gets a rejection record linked to it.
    """
    if not antivirus.enabled():
        return []
    done = []
    for stored in StoredFile.objects.filter(scan_status=ScanStatus.PENDING).order_by("created_at")[:limit]:
        try:
            with default_storage.open(stored.storage_key, "rb") as file:
                verdict = antivirus.scan_stream(file)
        except antivirus.ScannerUnavailable as error:
            logger.warning("intake: antivirus still unavailable: %s", error)
            break
        if _apply_verdict(stored, verdict):
            stored.refresh_from_db()
            done.append(stored)
            scan_completed.send(sender=StoredFile, stored_file=stored)
    return done


@transaction.atomic
def _apply_verdict(stored, verdict):
    status = {"clean": ScanStatus.CLEAN, "infected": ScanStatus.INFECTED}.get(verdict.status, ScanStatus.NOT_SCANNED)
    updated = StoredFile.objects.filter(pk=stored.pk, scan_status=ScanStatus.PENDING).update(
        scan_status=status, scan_signature=verdict.signature[:200], scanned_at=timezone.now()
    )
    if not updated:  # another worker was faster
        return False
    record(
        "intake.scanned",
        target=stored,
        details={"scan": status, "signature": verdict.signature, "detail": verdict.detail[:200]},
    )
    if status != ScanStatus.CLEAN:
        code = "infected" if status == ScanStatus.INFECTED else "not_scanned"
        params = {"signature": verdict.signature} if verdict.signature else {}
        rejection = IntakeRejection.objects.create(
            policy=stored.policy,
            code=code,
            params=params,
            display_name=stored.display_name,
            original_name=stored.original_name,
            size=stored.size,
            sha256=stored.sha256,
            actor=stored.uploaded_by,
            idempotency_key=stored.idempotency_key,
            submission=stored.submission,
            stored_file=stored,
        )
        record("intake.rejected", target=rejection, details={"policy": stored.policy, "code": code, **params})
        _delete_after_commit(stored.storage_key)  # refused: infected, or beyond what clamd can scan
    return True


def _owners():
    """Every relation that can own a stored file (deposits' files, case-file documents, supporting documents,
    representations, and refusals that keep an infected file's record as evidence)."""
    return [
        (field.model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is StoredFile
    ]


def _owner_less(cutoff):
    """Stored files received before ``cutoff`` that no row refers to."""
    files = StoredFile.objects.filter(created_at__lt=cutoff)
    for model, name in _owners():
        files = files.exclude(pk__in=model._default_manager.filter(**{f"{name}__isnull": False}).values(name))
    return files


def _clean_dir(directory, pattern, cutoff):
    removed = 0
    if directory.is_dir():
        for path in directory.glob(pattern):
            mtime = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if path.is_file() and mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def cleanup(*, older_than=datetime.timedelta(hours=24)):
    """Remove what an interrupted upload, a killed worker or a crash left behind, older than ``older_than`` and
    never younger than the longest upload allowed (``INTAKE_UPLOAD_MAX_SECONDS``: an upload in flight is safe).

    Work files in INTAKE_WORK_DIR and Django's temporary upload files (FILE_UPLOAD_TEMP_DIR); stored keys under
    ``intake/`` that no :class:`StoredFile` row names; stored files whose row nothing owns (the deposit, the
    request or the document that was to own them never committed): each withdrawn by :func:`discard`, audited.
    Returns ``(work_files_removed, orphans_removed)``, orphans counting both kinds.
    """
    older_than = max(older_than, datetime.timedelta(seconds=settings.INTAKE_UPLOAD_MAX_SECONDS))
    cutoff = timezone.now() - older_than
    work_removed = _clean_dir(Path(settings.INTAKE_WORK_DIR), f"{WORK_PREFIX}*", cutoff)
    if settings.FILE_UPLOAD_TEMP_DIR:
        work_removed += _clean_dir(Path(settings.FILE_UPLOAD_TEMP_DIR), "*.upload*", cutoff)
    owner_less = 0
    for stored in _owner_less(cutoff).order_by("pk"):
        discard(stored, reason="no_owner")
        owner_less += 1
    orphans = 0
    try:
        _folders, names = default_storage.listdir(KEY_PREFIX)
    except FileNotFoundError:
        names = []
    known = set(
        StoredFile.objects.filter(storage_key__startswith=f"{KEY_PREFIX}/").values_list("storage_key", flat=True)
    )
    for name in names:
        key = f"{KEY_PREFIX}/{name}"
        if key in known or default_storage.get_modified_time(key) >= cutoff:
            continue
        if StoredFile.objects.filter(storage_key=key).exists():  # committed since the listing
            continue
        default_storage.delete(key)
        orphans += 1
    if work_removed or orphans or owner_less:
        record("intake.cleaned", details={"work_files": work_removed, "orphans": orphans, "owner_less": owner_less})
    return work_removed, orphans + owner_less
