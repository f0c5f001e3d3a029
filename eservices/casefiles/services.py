"""Use cases of case files: one function each, atomic, audited; only staff of the case file's unit may call them
(``PermissionDenied`` otherwise, whoever the caller: a view, the admin, a command)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.audit.services import record
from eservices.calendar import days
from eservices.identity import nrn
from eservices.intake import policies
from eservices.intake import services as intake_services
from eservices.units.staff import is_staff_of, require_administrator, require_staff_of

from . import retention
from .models import CaseFile, Document, Party, Phase, PhaseChange, PhaseTarget


@transaction.atomic
def create_case_file(*, actor, unit, reference, kind, subject, language, opened_on, request=None, **fields):
    """Open a case file in a unit; its reference must start with the unit's code."""
    require_staff_of(actor, unit)
    case_file = CaseFile(
        unit=unit, reference=reference, kind=kind, subject=subject, language=language, opened_on=opened_on, **fields
    )
    case_file.full_clean()
    case_file.save()
    _open_phase(case_file, Phase.ADMISSIBILITY, opened_on, actor=actor)
    record("casefile.created", actor=actor, target=case_file, request=request)
    return case_file


EDITABLE_FIELDS = (
    "kind",
    "subject",
    "status",
    "language",
    "opened_on",
    "hearing_on",
    "decided_on",
    "closed_on",
    "origin",
    "provider_kind",
    "region",
)


def phase_due_on(kind, phase, started_on):
    """The last day on target of a phase that starts on ``started_on``; None without a target (or once closed)."""
    target = PhaseTarget.objects.filter(kind=kind, phase=phase).values_list("working_days", flat=True).first()
    return None if target is None else days.add_working_days(started_on, target)


def _open_phase(case_file, phase, started_on, *, actor):
    due_on = None if phase == Phase.CLOSED else phase_due_on(case_file.kind, phase, started_on)
    return PhaseChange.objects.create(
        case_file=case_file, phase=phase, started_on=started_on, due_on=due_on, recorded_by=actor
    )


@transaction.atomic
def change_phase(*, actor, case_file, phase, on, request=None):
    """Move the case file to ``phase`` on the day ``on``: the current phase ends that day (its working days are
    counted then), the new one starts. The one write path of the phase history; staff of the case file's unit only.

    Moving to "closed" also closes the case file (status and closing date) when it is not closed yet.
    """
    current = _locked_for_unit_staff(actor, case_file)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase.")}, code="invalid")
    if phase == current.phase:
        raise ValidationError({"phase": _("The case file is already in this phase.")}, code="same_phase")
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")}, code="future")
    open_phase = PhaseChange.objects.filter(case_file=current, ended_on__isnull=True).first()
    if open_phase is not None:
        if on < open_phase.started_on:
            raise ValidationError(
                {
                    "on": _("The date cannot be before the start of the current phase (%(date)s).")
                    % {"date": open_phase.started_on}
                },
                code="before_current",
            )
        open_phase.ended_on = on
        open_phase.working_days = days.working_days_between(open_phase.started_on, on)
        open_phase.save(update_fields=["ended_on", "working_days"])
    _open_phase(current, phase, on, actor=actor)
    previous = current.phase
    fields = {"phase": phase}
    if phase == Phase.CLOSED and current.status != CaseFile.Status.CLOSED:
        fields.update(status=CaseFile.Status.CLOSED, closed_on=current.closed_on or on)
    CaseFile.objects.filter(pk=current.pk).update(updated_at=timezone.now(), **fields)
    for name, value in fields.items():
        setattr(case_file, name, value)
    record(
        "casefile.phase_changed",
        actor=actor,
        target=case_file,
        request=request,
        details={"from": previous, "to": phase, "on": on.isoformat()},
    )
    return case_file


@transaction.atomic
def set_phase_target(*, actor, kind, phase, working_days, request=None):
    """Set (or, with ``working_days`` None, remove) the target of a phase for a kind of case file; functional
    administrators only. Phases already started keep the due date they had."""
    require_administrator(actor)
    if phase == Phase.CLOSED or phase not in Phase.values or kind not in CaseFile.Kind.values:
        raise ValidationError(_("Choose a kind of case file and a phase other than closed."), code="invalid")
    old = PhaseTarget.objects.filter(kind=kind, phase=phase).values_list("working_days", flat=True).first()
    if working_days is None:
        PhaseTarget.objects.filter(kind=kind, phase=phase).delete()
    else:
        if working_days < 1:
            raise ValidationError({"working_days": _("A target is at least one working day.")}, code="min")
        PhaseTarget.objects.update_or_create(kind=kind, phase=phase, defaults={"working_days": working_days})
    if old != working_days:
        record(
            "casefile.phase_target_set",
            actor=actor,
            request=request,
            details={"kind": kind, "phase": phase, "old": old, "new": working_days},
        )


@transaction.atomic
def update_case_file(*, actor, case_file, request=None, **fields):
    """Change what staff may change (not the reference nor the unit); the audit lists the fields changed."""
    require_staff_of(actor, case_file.unit_id)
    changed = []
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed")
        if getattr(case_file, name) != value:
            setattr(case_file, name, value)
            changed.append(name)
    if changed:
        case_file.full_clean()
        case_file.save()
        record("casefile.updated", actor=actor, target=case_file, request=request, details={"fields": changed})
    return case_file


@transaction.atomic
def delete_case_file(*, actor, case_file, request=None):
    """Delete a case file opened by mistake; one with documents or access requests is closed instead."""
    require_staff_of(actor, case_file.unit_id)
    if case_file.documents.exists() or case_file.access_requests.exists() or case_file.access_grants.exists():
        raise ValidationError(
            _("A case file with documents or access requests cannot be deleted; close it instead."), code="in_use"
        )
    record(
        "casefile.deleted",
        actor=actor,
        target=case_file,
        request=request,
        details={"reference": case_file.reference, "unit": case_file.unit.code},
    )
    case_file.delete()


def _locked_for_unit_staff(actor, case_file):
    """The case file's row, locked until the caller's transaction ends; only its unit's staff act on it."""
    if not is_staff_of(actor, case_file.unit_id):
        raise PermissionDenied
    return CaseFile.objects.select_for_update().get(pk=case_file.pk)


@transaction.atomic
def place_legal_hold(*, actor, case_file, reason, request=None):
    """Keep everything in the case file past its retention periods (an appeal, a litigation), until lifted.

    Staff of the case file's unit only; ``apply_retention`` skips a held case file (it takes the same lock).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case file is held.")}, code="required")
    current = _locked_for_unit_staff(actor, case_file)
    if current.on_legal_hold:
        raise ValidationError(_("This case file is already on legal hold."), code="held")
    case_file.legal_hold_reason, case_file.legal_hold_since = reason[:300], timezone.now()
    case_file.save(update_fields=["legal_hold_reason", "legal_hold_since", "updated_at"])
    record("casefile.legal_hold_placed", actor=actor, target=case_file, request=request, details={"reason": reason})
    return case_file


@transaction.atomic
def lift_legal_hold(*, actor, case_file, request=None):
    """End a legal hold: the retention periods apply again from the next ``apply_retention``."""
    current = _locked_for_unit_staff(actor, case_file)
    if not current.on_legal_hold:
        raise ValidationError(_("This case file is not on legal hold."), code="not_held")
    record(
        "casefile.legal_hold_lifted",
        actor=actor,
        target=case_file,
        request=request,
        details={"reason": current.legal_hold_reason, "since": current.legal_hold_since.isoformat()},
    )
    case_file.legal_hold_reason, case_file.legal_hold_since = "", None
    case_file.save(update_fields=["legal_hold_reason", "legal_hold_since", "updated_at"])
    return case_file


@transaction.atomic
def add_party(*, actor, case_file, role, display_name, national_number="", request=None, **fields):
    """Add a party; a national register number is validated and kept only as its keyed hash."""
    require_staff_of(actor, case_file.unit_id)
    if national_number:
        nrn.validate(national_number)
        fields["nrn_hash"] = nrn.lookup_hash(national_number)
    party = Party(case_file=case_file, role=role, display_name=display_name, **fields)
    party.full_clean()
    party.save()
    record("casefile.party_added", actor=actor, target=case_file, request=request, details={"party": party.pk})
    return party


@transaction.atomic
def set_document_visibility(
    *, actor, document, visibility, visible_to=(), confidential_existence=False, withheld_reason="", request=None
):
    """Who among the parties may see a document; "some parties" names them, the others see it withheld."""
    require_staff_of(actor, document.case_file.unit_id)
    visible_to = list(visible_to)
    if visibility == Document.Visibility.SOME_PARTIES and not visible_to:
        raise ValidationError({"visible_to": _("Choose the parties who may see it.")}, code="no_parties")
    if any(party.case_file_id != document.case_file_id for party in visible_to):
        raise ValidationError({"visible_to": _("Choose parties of this case file.")}, code="other_case_file")
    document.visibility = visibility
    document.confidential_existence = confidential_existence and visibility != Document.Visibility.ALL_PARTIES
    document.withheld_reason = withheld_reason if visibility != Document.Visibility.ALL_PARTIES else ""
    document.save(update_fields=["visibility", "confidential_existence", "withheld_reason"])
    document.visible_to.set(visible_to if visibility == Document.Visibility.SOME_PARTIES else [])
    record(
        "document.visibility_set",
        actor=actor,
        target=document,
        request=request,
        details={
            "case_file": document.case_file_id,
            "visibility": visibility,
            "visible_to": sorted(party.pk for party in visible_to),
            "confidential_existence": document.confidential_existence,
        },
    )
    return document


def add_document(
    *,
    actor,
    case_file,
    title,
    kind,
    document_date,
    content,
    filename,
    request=None,
    visible_to=(),
    idempotency_key="",
    **fields,
):
    """Receive a document's file through the intake pipeline, then add it to the case file.

    The file is checked by content, scanned and stored by ``eservices.intake`` (policy ``casefile_document``)
    outside any transaction, so that no database lock is held while it is spooled and scanned. A refused file
    raises ``ValidationError`` (its code is the intake's refusal code) after the refusal is recorded. If the
    document's row cannot be written, the received file is withdrawn.
    """
    require_staff_of(actor, case_file.unit_id)
    result = intake_services.receive(
        File(content, name=filename),
        policy=policies.CASEFILE_DOCUMENT,
        actor=actor,
        request=request,
        idempotency_key=idempotency_key,
        original_name=filename,
    )
    if not result.accepted:
        raise ValidationError(result.reason, code=result.code)
    stored = result.stored_file
    if result.replayed and (existing := Document.objects.filter(stored_file=stored).first()):
        return existing
    try:
        return _add_received_document(
            actor=actor,
            case_file=case_file,
            stored=stored,
            title=title,
            kind=kind,
            document_date=document_date,
            request=request,
            visible_to=visible_to,
            **fields,
        )
    except BaseException:
        intake_services.discard(stored, actor=actor, request=request)
        raise


@transaction.atomic
def _add_received_document(*, actor, case_file, stored, title, kind, document_date, request, visible_to, **fields):
    document = Document(
        case_file=case_file,
        title=title,
        kind=kind,
        document_date=document_date,
        author_unit=fields.pop("author_unit", case_file.unit),
        stored_file=stored,
        original_filename=stored.original_name[:255] or stored.display_name,
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        **fields,
    )
    document.file.name = stored.storage_key
    document.save()
    if visible_to:
        document.visible_to.set(visible_to)
    record("document.added", actor=actor, target=document, request=request, details={"case_file": case_file.pk})
    return document


def apply_retention(*, on=None, dry_run=False):
    """Apply the retention periods as of ``on`` (default: today); return what was (or would be) removed, one
    ``retention.Removed`` per case file touched. The system acts: the scheduler and ``manage.py apply_retention``.

    One transaction per case file: its row is locked (as placing a legal hold does), a held case file is left
    untouched, and the ``retention.applied`` event is written with the removals it counts, so that no removal is
    ever committed without its record.
    """
    on = on or retention.today()
    removed = []
    for pk, kinds in sorted(retention.due(on).items()):
        with transaction.atomic():
            case_file = CaseFile.objects.select_for_update().filter(pk=pk, legal_hold_since__isnull=True).first()
            if case_file is None:  # held (or deleted) since it was listed
                continue
            entry = retention.remove(case_file, kinds, dry_run=dry_run)
            if not entry.anything:
                continue
            removed.append(entry)
            if not dry_run:
                record(
                    "retention.applied",
                    capacity="system",
                    target=case_file,
                    details={"on": on.isoformat(), "closed_on": case_file.closed_on.isoformat(), **entry.counts},
                )
    return removed
