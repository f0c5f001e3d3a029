"""Use cases of the dashboards, audited: recording paper exchanges and writing points of attention (staff of the
unit), asking for a semester report (of units whose figures the actor may see), exporting a figure's table and
downloading a ready report (each recorded in the audit trail, in the transaction that hands the data over)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.audit.services import record
from eservices.units.staff import require_staff_of

from . import exports
from .models import AttentionPoint, Objective, PaperExchange, SemesterReport


@transaction.atomic
def record_paper_exchange(*, actor, unit, occurred_on, direction, count, request=None) -> PaperExchange:
    """Count paper items a unit sent or received outside the portal, so that the share of electronic exchanges
    counts them; staff of that unit only."""
    require_staff_of(actor, unit)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")}, code="future")
    exchange = PaperExchange(unit=unit, occurred_on=occurred_on, direction=direction, count=count, recorded_by=actor)
    exchange.full_clean()
    exchange.save()
    record(
        "dashboard.paper_recorded",
        actor=actor,
        target=exchange,
        unit=unit,
        request=request,
        details={"date": occurred_on.isoformat(), "direction": direction, "count": count},
    )
    return exchange


@transaction.atomic
def write_attention_points(*, actor, unit, semester_start, texts: dict, request=None) -> None:
    """Write (or, empty, remove) the points of attention of a unit's objectives for a semester; its staff only."""
    require_staff_of(actor, unit)
    changed = []
    for objective, text in texts.items():
        if objective not in Objective.values:
            raise ValidationError(_("Unknown objective."), code="invalid")
        text = (text or "").strip()[:2000]
        current = AttentionPoint.objects.filter(unit=unit, semester_start=semester_start, objective=objective).first()
        if current is None and not text:
            continue
        if current is not None and not text:
            current.delete()
        elif current is None:
            AttentionPoint.objects.create(
                unit=unit, semester_start=semester_start, objective=objective, text=text, written_by=actor
            )
        elif current.text != text:
            current.text, current.written_by = text, actor
            current.save(update_fields=["text", "written_by", "updated_at"])
        else:
            continue
        changed.append(objective)
    if changed:
        record(
            "dashboard.attention_points_written",
            actor=actor,
            unit=unit,
            request=request,
            details={"unit": unit.code, "semester": semester_start.isoformat(), "objectives": changed},
        )


@transaction.atomic
def request_semester_report(*, actor, semester_start, language, units, request=None) -> SemesterReport:
    """Ask for a semester report of ``units`` (only units whose figures the actor may see), built in the background;
    the actor is told by e-mail when it is ready."""
    from .queries import dashboard_units

    allowed = set(dashboard_units(actor).values_list("code", flat=True))
    codes = sorted(unit.code for unit in units)
    if not codes or not set(codes) <= allowed:
        raise PermissionDenied
    if language not in ("fr", "nl"):
        raise ValidationError({"language": _("Choose French or Dutch.")}, code="invalid")
    report = SemesterReport.objects.create(
        requested_by=actor, semester_start=semester_start, language=language, unit_codes=codes
    )
    record(
        "dashboard.report_requested",
        actor=actor,
        target=report,
        request=request,
        details={"semester": semester_start.isoformat(), "language": language, "units": codes},
    )
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from .tasks import build_semester_report

    build_semester_report.enqueue(report_id)


@transaction.atomic
def export_table(*, actor, figure: str, fmt: str, title: str, table, units, request=None) -> tuple[str, bytes]:
    """A figure's table rendered as ``fmt`` (CSV or XLSX) for ``actor``, whose dashboard units the caller filtered
    on (``queries.dashboard_units``); returns the content type and the bytes."""
    record(
        "dashboard.exported",
        actor=actor,
        request=request,
        details={"figure": figure, "format": fmt, "units": [unit.code for unit in units]},
    )
    content_type, render_table = exports.FORMATS[fmt]
    return content_type, render_table(title, table)


@transaction.atomic
def download_report(*, actor, report: SemesterReport, request=None) -> bytes:
    """The PDF of a ready report of ``actor``'s own (the report's requester)."""
    if report.requested_by_id != actor.pk:
        raise PermissionDenied
    if report.state != SemesterReport.State.READY:
        raise ValidationError(_("This report is not ready."), code="not_ready")
    content = bytes(SemesterReport.objects.values_list("pdf", flat=True).get(pk=report.pk) or b"")
    record("dashboard.report_downloaded", actor=actor, target=report, request=request)
    return content
