"""The semester report: a PDF in French or Dutch laid out like the annual report's integrated table (objective,
deadline, RAG, achieved, points of attention written by staff), built in the background from the same figures as
the dashboard. The same data give the same bytes: nothing in it depends on when it is built once the semester
is over (its date is the semester's last day)."""

import datetime
import hashlib
import logging
from pathlib import Path

import font_source_sans_pro
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eservices.calendar import days
from eservices.notifications.services import queue_email
from eservices.units.models import Unit

from . import figures
from .models import AttentionPoint, Objective, SemesterReport

logger = logging.getLogger(__name__)
FONT_DIR = Path(font_source_sans_pro.font_directory)


def semester_label(start: datetime.date) -> str:
    if start.month <= 6:
        return _("1st semester %(year)s") % {"year": start.year}
    return _("2nd semester %(year)s") % {"year": start.year}


def _rows(report: SemesterReport, progress=None):
    start, end = figures.semester_of(report.semester_start)
    units = list(Unit.objects.filter(code__in=report.unit_codes).order_by("code"))
    filters = figures.Filters(units=units, start=start, end=end)
    as_of = min(days.local_today(), end)
    builders = (
        lambda: figures.case_files_figure(filters, as_of),
        lambda: figures.phases_figure(filters),
        lambda: figures.access_figure(filters),
        lambda: figures.deposits_figure(filters),
        lambda: figures.notifications_figure(filters),
        lambda: figures.channels_figure(filters),
    )
    computed = []
    for position, build in enumerate(builders, 1):
        computed.append(build())
        if progress:
            progress(10 + 80 * position // len(builders))
    points: dict[str, list[str]] = {}
    for point in AttentionPoint.objects.filter(unit__in=units, semester_start=start).select_related("unit"):
        points.setdefault(point.objective, []).append(f"{point.unit.code}: {point.text}")
    return units, start, end, computed, points


def render(report: SemesterReport, progress=None) -> bytes:
    """The report's PDF in its language."""
    with translation.override(report.language):
        units, start, end, computed, points = _rows(report, progress)
        labels = dict(Objective.choices)
        pdf = FPDF(format="A4", orientation="landscape")
        pdf.set_creation_date(datetime.datetime.combine(end, datetime.time(23, 59), tzinfo=days.local_zone()))
        title = _("Semester report – %(semester)s") % {"semester": semester_label(start)}
        pdf.set_title(title)
        pdf.set_author("INAMI-RIZIV SECM eServices")
        pdf.set_creator("SECM eServices")
        pdf.set_lang(report.language)
        pdf.add_font("Sans", "", str(FONT_DIR / "SourceSansPro-Regular.ttf"))
        pdf.add_font("Sans", "B", str(FONT_DIR / "SourceSansPro-Bold.ttf"))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font("Sans", "B", 16)
        pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Sans", size=10)
        pdf.multi_cell(
            0,
            5,
            _("Units: %(units)s. Period from %(start)s to %(end)s.")
            % {
                "units": ", ".join(unit.name for unit in units),
                "start": date_format(start, "DATE_FORMAT"),
                "end": date_format(end, "DATE_FORMAT"),
            },
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(3)
        headers = (_("Objective"), _("Deadline"), _("RAG"), _("Achieved"), _("Points of attention"))
        with pdf.table(col_widths=(60, 30, 45, 45, 97), text_align="LEFT", line_height=5) as table:
            pdf.set_font("Sans", "B", 10)
            header = table.row()
            for text in headers:
                header.cell(text)
            pdf.set_font("Sans", size=10)
            for figure in computed:
                row = table.row()
                row.cell(f"{labels[figure.key]}\n" + _("target %(target)s %%") % {"target": figure.target})
                row.cell(date_format(end, "DATE_FORMAT"))
                row.cell(str(figure.rag_words))
                if figure.total:
                    row.cell(
                        _("%(value)s %% (%(part)s of %(total)s)")
                        % {"value": figure.value, "part": figure.part, "total": figure.total}
                    )
                else:
                    row.cell(_("No data in the period."))
                row.cell("\n".join(points.get(figure.key, [])) or "–")
        pdf.ln(4)
        pdf.set_font("Sans", "B", 11)
        pdf.cell(0, 6, _("Definitions"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Sans", size=9)
        for figure in computed:
            pdf.multi_cell(0, 4.5, f"{figure.title}: {figure.definition}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        pdf.multi_cell(
            0,
            4.5,
            _(
                "RAG: Green when the share reaches the target (exactly on target counts as reached), Amber at most "
                "%(margin)s points below it, Red further below."
            )
            % {"margin": figures.AMBER_MARGIN},
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        return bytes(pdf.output())


def build(report_id: int) -> None:
    """Build the PDF, showing progress, then tell the requester by e-mail (the task's work)."""
    reports = SemesterReport.objects.filter(pk=report_id)
    report = reports.select_related("requested_by").first()
    if report is None or report.state == SemesterReport.State.READY:
        return
    reports.update(state=SemesterReport.State.RUNNING, progress=5)
    try:
        content = render(report, progress=lambda percent: reports.update(progress=percent))
    except Exception:
        logger.exception("semester report %s failed", report_id)
        reports.update(state=SemesterReport.State.FAILED, finished_at=timezone.now())
        return
    reports.update(
        state=SemesterReport.State.READY,
        progress=100,
        pdf=content,
        sha256=hashlib.sha256(content).hexdigest(),
        finished_at=timezone.now(),
    )
    user = report.requested_by
    if user.email:
        language = getattr(user, "preferred_language", "") or report.language
        with translation.override(language):
            url = settings.SITE_URL + reverse("dashboards:report", kwargs={"report_id": report.pk})
        queue_email(
            template="dashboards/email/report_ready", to=user.email, language=language, context={"report_url": url}
        )
