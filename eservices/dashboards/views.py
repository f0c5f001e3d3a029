"""The dashboards' screens (staff only): the dashboard and its exports, phase deadlines, phase changes, phase
targets (functional administrators), paper exchanges, points of attention and semester reports. Figures are only
those of the units the reader may see (queries.dashboard_units); anything else is 404."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eservices.access import abilities
from eservices.calendar import days
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Phase, PhaseTarget
from eservices.identity.access import administrator_required, staff_required
from eservices.units import staff

from . import exports, figures, queries, services
from .forms import AttentionForm, FilterForm, PaperExchangeForm, PhaseForm, ReportForm
from .models import AttentionPoint, SemesterReport


def _filter_form(request):
    return FilterForm(request.GET or None, units=queries.dashboard_units(request.user), today=days.local_today())


def _valid_filters(form):
    if not form.is_bound:
        form = FilterForm({}, units=form.units, today=form.today)
    return form.filters() if form.is_valid() else None


@staff_required
@require_GET
def index(request):
    """The figures of the units the reader may see, filtered, each with its RAG, chart, table and definition."""
    form = _filter_form(request)
    filters = _valid_filters(form)
    context = {"form": form, "filters": filters, "query": request.GET.urlencode()}
    if filters is not None:
        context["figures"] = figures.all_figures(filters)
        context["rag_words"] = figures.RAG_WORDS
        context["amber_margin"] = figures.AMBER_MARGIN
    return render(request, "dashboards/index.html", context)


@staff_required
@require_GET
def export(request, figure, fmt):
    """One figure's table (``figure`` or ``figure-statuses``) as CSV or XLSX, with the dashboard's filters."""
    name, _sep, part = figure.partition("-")
    if fmt not in exports.FORMATS or name not in figures.FIGURES or part not in ("", "statuses"):
        raise Http404
    form = _filter_form(request)
    filters = _valid_filters(form)
    if filters is None:
        raise Http404
    chosen = next(item for item in figures.all_figures(filters) if item.key == name)
    table = chosen.status_table if part else chosen.table
    if table is None or (part and name != "casefiles"):
        raise Http404
    content_type, content = services.export_table(
        actor=request.user,
        figure=figure,
        fmt=fmt,
        title=str(chosen.title),
        table=table,
        units=filters.units,
        request=request,
    )
    response = HttpResponse(content, content_type=content_type)
    stamp = f"{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{figure}-{stamp}.{fmt}"'
    return response


@staff_required
@require_GET
def deadlines(request):
    """The current phases of the reader's units with their target's last day, late ones first."""
    unit_code = request.GET.get("unit", "")[:10]
    today = days.local_today()
    rows = queries.phase_deadlines(request.user, unit_code=unit_code, today=today)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.days_left = days.working_days_between(today, row.due_on) if row.due_on >= today else None
    return render(
        request,
        "dashboards/deadlines.html",
        {"page": page, "today": today, "units": staff.units_of(request.user), "unit": unit_code},
    )


@staff_required
@require_POST
def change_phase(request, case_file_id):
    """Move a case file of the reader's unit to another phase."""
    case_file = abilities.case_file_for(request.user, case_file_id, "manage")
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            casefile_services.change_phase(
                actor=request.user,
                case_file=case_file,
                phase=form.cleaned_data["phase"],
                on=form.cleaned_data["on"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The phase was changed."))
    else:
        messages.error(request, _("Choose a phase and its date."))
    return redirect("backoffice:case_file", case_file_id=case_file.pk)


@administrator_required
@require_http_methods(["GET", "POST"])
def phase_targets(request):
    """The target of each phase per kind of case file, in working days (functional administrators)."""
    phases = [(value, label) for value, label in Phase.choices if value != Phase.CLOSED]
    current = {(target.kind, target.phase): target.working_days for target in PhaseTarget.objects.all()}
    errors = []
    if request.method == "POST":
        for kind, _kind_label in CaseFile.Kind.choices:
            for phase, _phase_label in phases:
                raw = request.POST.get(f"{kind}-{phase}", "").strip()
                value = int(raw) if raw.isdigit() and int(raw) > 0 else None
                if raw and value is None:
                    errors.append(f"{kind}-{phase}")
                    continue
                if value != current.get((kind, phase)):
                    casefile_services.set_phase_target(
                        actor=request.user, kind=kind, phase=phase, working_days=value, request=request
                    )
        if not errors:
            messages.success(request, _("The targets were saved."))
            return redirect("dashboards:phase_targets")
        messages.error(request, _("A target is a whole number of working days, at least 1."))
        current = {(target.kind, target.phase): target.working_days for target in PhaseTarget.objects.all()}
    rows = [
        (kind_label, [(f"{kind}-{phase}", phase_label, current.get((kind, phase))) for phase, phase_label in phases])
        for kind, kind_label in CaseFile.Kind.choices
    ]
    return render(request, "dashboards/phase_targets.html", {"rows": rows, "phases": phases, "errors": errors})


@staff_required
@require_http_methods(["GET", "POST"])
def paper_exchanges(request):
    """Record the paper items a unit sent or received outside the portal."""
    units = staff.units_of(request.user)
    form = PaperExchangeForm(request.POST or None, units=units, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_paper_exchange(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The paper items were recorded."))
            return redirect("dashboards:paper_exchanges")
    from .models import PaperExchange

    recent = PaperExchange.objects.filter(staff.of_my_units(request.user)).select_related("unit")[:50]
    return render(request, "dashboards/paper_exchanges.html", {"form": form, "recent": recent})


@staff_required
@require_http_methods(["GET", "POST"])
def reports(request):
    """Ask for a semester report (of units whose figures the reader may see); the reader's reports."""
    form = ReportForm(request.POST or None, units=queries.dashboard_units(request.user), today=days.local_today())
    if request.method == "POST" and form.is_valid():
        report = services.request_semester_report(
            actor=request.user,
            semester_start=datetime.date.fromisoformat(form.cleaned_data["semester"]),
            language=form.cleaned_data["language"],
            units=form.chosen_units(),
            request=request,
        )
        messages.success(request, _("The report is being built; you will get an e-mail when it is ready."))
        return redirect("dashboards:report", report_id=report.pk)
    mine = SemesterReport.objects.filter(requested_by=request.user).defer("pdf")[:20]
    return render(request, "dashboards/reports.html", {"form": form, "reports": mine})


def _my_report(request, report_id):
    report = SemesterReport.objects.filter(pk=report_id, requested_by=request.user).defer("pdf").first()
    if report is None:
        raise Http404
    return report


@staff_required
@require_GET
def report(request, report_id):
    """One of the reader's reports: its progress while it is built, its download once ready."""
    return render(request, "dashboards/report.html", {"report": _my_report(request, report_id)})


@staff_required
@require_GET
def report_pdf(request, report_id):
    report = _my_report(request, report_id)
    if report.state != SemesterReport.State.READY:
        raise Http404
    content = services.download_report(actor=request.user, report=report, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="semester-report-{report.semester_start:%Y-%m}-{report.language}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def attention_points(request):
    """Write the points of attention of one of the reader's units for a semester (shown in the report)."""
    units = staff.units_of(request.user)
    today = days.local_today()
    chosen_unit = units.filter(code=request.GET.get("unit", "")).first() or units.first()
    semester = request.GET.get("semester", "") or figures.semester_of(today)[0].isoformat()
    try:
        semester_start = figures.semester_of(datetime.date.fromisoformat(semester))[0]
    except ValueError:
        raise Http404 from None
    texts = dict(
        AttentionPoint.objects.filter(unit=chosen_unit, semester_start=semester_start).values_list("objective", "text")
    )
    form = AttentionForm(
        request.POST or None,
        units=units,
        today=today,
        initial={"unit": chosen_unit, "semester": semester_start.isoformat()},
        initial_texts=texts,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.write_attention_points(
            actor=request.user,
            unit=data["unit"],
            semester_start=datetime.date.fromisoformat(data["semester"]),
            texts={key: data[key] for key, _label in AttentionPoint._meta.get_field("objective").choices},
            request=request,
        )
        messages.success(request, _("The points of attention were saved."))
        return redirect(f"{request.path}?unit={data['unit'].code}&semester={data['semester']}")
    return render(request, "dashboards/attention_points.html", {"form": form})
