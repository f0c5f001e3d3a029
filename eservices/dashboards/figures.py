"""The dashboard's figures, aggregated in the database and each measured against its target (issue 17).

Every figure has a definition shown on the page, a table (the data of its chart, exported as CSV and XLSX) and,
where it has a target, a RAG status: Green when the share reaches the target (exactly on target is Green), Amber
within ``AMBER_MARGIN`` points below it, Red further below. An item is on time when it is done on or before its
due day: one day late is late.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.access.models import RAG, AccessRequest
from eservices.calendar import days
from eservices.casefiles.models import CaseFile, Phase, PhaseChange
from eservices.deposits.models import Deposit
from eservices.mailbox.models import Message

from . import charts
from .db import Percentile
from .models import PaperExchange

AMBER_MARGIN = 10
# The targets of the figures with a share (percent); phase targets are per kind of case file (PhaseTarget).
TARGETS = {"casefiles": 90, "phases": 90, "access": 95, "deposits": 95, "notifications": 80, "channels": 70}
RAG_WORDS = {
    None: gettext_lazy("No data in the period"),
    RAG.GREEN: gettext_lazy("Green: the target is reached"),
    RAG.ORANGE: gettext_lazy("Amber: at most 10 points below the target"),
    RAG.RED: gettext_lazy("Red: more than 10 points below the target"),
}
CASE_FILE_FILTERS = ("language", "origin", "provider_kind", "region", "status")


def rag_for_share(part: int, total: int, target: int) -> str | None:
    """The RAG of ``part`` out of ``total`` against ``target`` percent, in whole numbers (no rounding at the edge)."""
    if not total:
        return None
    if part * 100 >= target * total:
        return RAG.GREEN
    if part * 100 >= (target - AMBER_MARGIN) * total:
        return RAG.ORANGE
    return RAG.RED


def share(part: int, total: int) -> float | None:
    return None if not total else round(100 * part / total, 1)


def semester_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The semester containing ``day``: 1 January – 30 June or 1 July – 31 December."""
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    result, month = [], start.replace(day=1)
    while month <= end:
        result.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def _month(value) -> datetime.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime.datetime) else value


def _days(value) -> float | None:
    """A duration from the database (an interval on PostgreSQL, microseconds on SQLite) in days."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)


@dataclass
class Filters:
    """What the reader chose: units (among those they may see), a period, and cuts on the case files."""

    units: list
    start: datetime.date
    end: datetime.date
    language: str = ""
    origin: str = ""
    provider_kind: str = ""
    region: str = ""
    status: str = ""

    def case_file_q(self, prefix: str = "") -> Q:
        """The cuts on the case file (none when the reader chose none)."""
        q = Q()
        for name in CASE_FILE_FILTERS:
            value = getattr(self, name)
            if value:
                q &= Q(**{f"{prefix}{name}": value})
        return q

    @property
    def cuts_case_files(self) -> bool:
        return any(getattr(self, name) for name in CASE_FILE_FILTERS)

    def unit_q(self, field: str = "unit") -> Q:
        return Q(**{f"{field}__in": [unit.pk for unit in self.units]})

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as Brussels moments: from the start day's midnight to the midnight after the end day."""
        return days.start_of_day(self.start), days.start_of_day(self.end + datetime.timedelta(days=1))

    def in_period(self, field: str) -> Q:
        since, until = self.moments()
        return Q(**{f"{field}__gte": since, f"{field}__lt": until})

    def month_labels(self) -> list[tuple[datetime.date, str]]:
        return [(month, date_format(month, "YEAR_MONTH_FORMAT")) for month in months(self.start, self.end)]


@dataclass
class Table:
    headers: list
    rows: list = field(default_factory=list)


@dataclass
class Figure:
    key: str
    title: str | Promise
    definition: str | Promise
    table: Table
    target: int | None = None
    part: int = 0
    total: int = 0
    chart: str = ""
    status_table: Table | None = None

    @property
    def value(self) -> float | None:
        return share(self.part, self.total)

    @property
    def rag(self):
        return rag_for_share(self.part, self.total, self.target) if self.target is not None else None

    @property
    def rag_words(self):
        return RAG_WORDS[self.rag]


def _case_files(filters: Filters) -> QuerySet:
    return CaseFile.objects.filter(filters.unit_q(), filters.case_file_q(), opened_on__lte=filters.end)


def _monthly(rows, filters, key="month"):
    """``{month: row}`` for every month of the period (months without data get an empty row)."""
    found = {_month(row[key]): row for row in rows}
    return [(month, label, found.get(month, {})) for month, label in filters.month_labels()]


def case_files_figure(filters: Filters, today: datetime.date) -> Figure:
    case_files = _case_files(filters)
    counts = {
        (row["kind"], row["phase"]): row["n"]
        for row in case_files.order_by().values("kind", "phase").annotate(n=Count("pk"))
    }
    table = Table([_("Kind"), *[label for _value, label in Phase.choices], _("Total")])
    phase_totals = dict.fromkeys(Phase.values, 0)
    for kind, kind_label in CaseFile.Kind.choices:
        row = [counts.get((kind, phase), 0) for phase in Phase.values]
        if any(row):
            table.rows.append([kind_label, *row, sum(row)])
        for phase, count in zip(Phase.values, row, strict=True):
            phase_totals[phase] += count
    table.rows.append([_("Total"), *phase_totals.values(), sum(phase_totals.values())])
    running = PhaseChange.objects.filter(
        case_file__in=case_files, ended_on__isnull=True, due_on__isnull=False
    ).aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(due_on__gte=today)))
    figure = Figure(
        "casefiles",
        gettext_lazy("Case files by kind and phase"),
        gettext_lazy(
            "Case files of the chosen units opened up to the end of the period, by kind and current phase. "
            "The share is that of the current phases with a target still within it today."
        ),
        table,
        TARGETS["casefiles"],
        running["on_time"],
        running["total"],
    )
    statuses = dict(case_files.order_by().values_list("status").annotate(n=Count("pk")))
    figure.status_table = Table(
        [_("Status"), _("Case files")], [[label, statuses.get(status, 0)] for status, label in CaseFile.Status.choices]
    )
    figure.chart = charts.bar_chart(
        chart_id="chart-casefiles",
        title=str(figure.title),
        description=_("Number of case files in each current phase."),
        bars=[charts.Bar(str(label), phase_totals[phase]) for phase, label in Phase.choices],
    )
    return figure


def phases_figure(filters: Filters) -> Figure:
    ended = PhaseChange.objects.filter(
        case_file__in=_case_files(filters), ended_on__gte=filters.start, ended_on__lte=filters.end
    ).exclude(phase=Phase.CLOSED)
    measures = {
        "n": Count("pk"),
        "median": Percentile("working_days", 0.5),
        "p90": Percentile("working_days", 0.9),
        "with_target": Count("pk", filter=Q(due_on__isnull=False)),
        "on_time": Count("pk", filter=Q(due_on__isnull=False, ended_on__lte=F("due_on"))),
    }
    rows = (
        ended.annotate(month=TruncMonth("ended_on"))
        .order_by()
        .values("phase", "month")
        .annotate(**measures)
        .order_by("phase", "month")
    )
    by_phase: dict[str, Any] = {row["phase"]: row for row in ended.order_by().values("phase").annotate(**measures)}
    labels = dict(Phase.choices)
    table = Table(
        [_("Phase"), _("Month"), _("Phases ended"), _("Median (working days)"), _("90th percentile"), _("On time")]
    )
    month_labels: dict[Any, str] = dict(filters.month_labels())
    row: Any
    for row in rows:
        table.rows.append(
            [
                labels[row["phase"]],
                month_labels.get(_month(row["month"]), str(row["month"])),
                row["n"],
                row["median"],
                row["p90"],
                f"{row['on_time']}/{row['with_target']}",
            ]
        )
    part = sum(row["on_time"] for row in by_phase.values())
    total = sum(row["with_target"] for row in by_phase.values())
    figure = Figure(
        "phases",
        gettext_lazy("Time in each phase"),
        gettext_lazy(
            "Phases ended in the period, by month of their end: how many, the median and the 90th percentile of "
            "their length in working days (after the start day up to the end day; weekends and legal holidays "
            "excluded). A phase is on time when it ended on or before the last day of its target."
        ),
        table,
        TARGETS["phases"],
        part,
        total,
    )
    figure.chart = charts.bar_chart(
        chart_id="chart-phases",
        title=str(figure.title),
        description=_("Median length of each phase ended in the period, in working days."),
        bars=[
            charts.Bar(str(label), by_phase.get(phase, {}).get("median"))
            for phase, label in Phase.choices
            if phase != Phase.CLOSED
        ],
    )
    return figure


def _on_time_figure(filters, queryset, *, key, done_field, due_field, title, definition, chart_description):
    if filters.cuts_case_files:
        queryset = queryset.filter(filters.case_file_q("case_file__"))
    queryset = queryset.filter(filters.unit_q(), filters.in_period(done_field)).annotate(
        done_day=TruncDate(done_field), month=TruncMonth(done_field)
    )
    rows = (
        queryset.order_by()
        .values("month")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(done_day__lte=F(due_field))))
    )
    table = Table([_("Month"), _("Done"), _("On time"), _("Share on time (%)")])
    bars = []
    for _month_day, label, row in _monthly(rows, filters):
        n, on_time = row.get("n", 0), row.get("on_time", 0)
        table.rows.append([label, n, on_time, share(on_time, n)])
        bars.append(charts.Bar(label, share(on_time, n)))
    part = sum(row[2] for row in table.rows)
    total = sum(row[1] for row in table.rows)
    figure = Figure(key, title, definition, table, TARGETS[key], part, total)
    figure.chart = charts.bar_chart(
        chart_id=f"chart-{key}",
        title=str(title),
        description=chart_description,
        bars=bars,
        unit=" %",
        maximum=100,
        target=TARGETS[key],
        target_label=_("target %(target)s %%") % {"target": TARGETS[key]},
    )
    return figure


def access_figure(filters: Filters) -> Figure:
    return _on_time_figure(
        filters,
        AccessRequest.objects.exclude(decided_at=None),
        key="access",
        done_field="decided_at",
        due_field="decision_due_on",
        title=gettext_lazy("Access requests decided on time"),
        definition=gettext_lazy(
            "Access requests decided (granted or refused) in the period, by month of the decision; on time when "
            "decided on or before the decision date (Brussels time)."
        ),
        chart_description=_("Share of access requests decided on time, per month, against the target."),
    )


def deposits_figure(filters: Filters) -> Figure:
    return _on_time_figure(
        filters,
        Deposit.objects.exclude(number=None).exclude(acknowledged_at=None),
        key="deposits",
        done_field="acknowledged_at",
        due_field="triage_due_on",
        title=gettext_lazy("Deposits triaged on time"),
        definition=gettext_lazy(
            "Deposits acknowledged in the period, by month of the acknowledgement; on time when acknowledged on "
            "or before the triage date (working days, legal holidays excluded)."
        ),
        chart_description=_("Share of deposits triaged on time, per month, against the target."),
    )


def notifications_figure(filters: Filters) -> Figure:
    messages = Message.objects.filter(filters.unit_q(), filters.in_period("made_available_at"))
    if filters.cuts_case_files:
        messages = messages.filter(filters.case_file_q("case_file__"))
    wait = ExpressionWrapper(F("opened_at") - F("made_available_at"), output_field=DurationField())
    rows = (
        messages.annotate(month=TruncMonth("made_available_at"))
        .order_by()
        .values("month")
        .annotate(
            n=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            median=Percentile(wait, 0.5, filter=Q(opened_at__isnull=False), output_field=DurationField()),
            p90=Percentile(wait, 0.9, filter=Q(opened_at__isnull=False), output_field=DurationField()),
        )
    )
    table = Table(
        [
            _("Month"),
            _("Made available"),
            _("Opened"),
            _("Share opened (%)"),
            _("Median days to open"),
            _("90th percentile"),
        ]
    )
    bars = []
    for _month_day, label, row in _monthly(rows, filters):
        n, opened = row.get("n", 0), row.get("opened", 0)
        table.rows.append([label, n, opened, share(opened, n), _days(row.get("median")), _days(row.get("p90"))])
        bars.append(charts.Bar(label, share(opened, n)))
    figure = Figure(
        "notifications",
        gettext_lazy("Notifications opened, and time to open"),
        gettext_lazy(
            "Messages made available in the mailbox in the period, by month: how many were opened, and the median "
            "and 90th percentile of the time between being made available and the first opening, in days."
        ),
        table,
        TARGETS["notifications"],
        sum(row[2] for row in table.rows),
        sum(row[1] for row in table.rows),
    )
    figure.chart = charts.bar_chart(
        chart_id="chart-notifications",
        title=str(figure.title),
        description=_("Share of messages opened, per month of their sending, against the target."),
        bars=bars,
        unit=" %",
        maximum=100,
        target=TARGETS["notifications"],
        target_label=_("target %(target)s %%") % {"target": TARGETS["notifications"]},
    )
    return figure


def channels_figure(filters: Filters) -> Figure:
    messages = Message.objects.filter(filters.unit_q())
    deposits = Deposit.objects.exclude(number=None).filter(filters.unit_q())
    if filters.cuts_case_files:
        messages = messages.filter(filters.case_file_q("case_file__"))
        deposits = deposits.filter(filters.case_file_q("case_file__"))
    electronic_messages = {
        _month(row["month"]): row["n"]
        for row in messages.filter(filters.in_period("made_available_at"))
        .annotate(month=TruncMonth("made_available_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    electronic_deposits = {
        _month(row["month"]): row["n"]
        for row in deposits.filter(filters.in_period("accepted_at"))
        .annotate(month=TruncMonth("accepted_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    paper_letters = {
        _month(row["month"]): row["n"]
        for row in messages.filter(paper_letter_sent_on__gte=filters.start, paper_letter_sent_on__lte=filters.end)
        .annotate(month=TruncMonth("paper_letter_sent_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    paper_items = {
        _month(row["month"]): row["n"]
        for row in PaperExchange.objects.filter(
            filters.unit_q(), occurred_on__gte=filters.start, occurred_on__lte=filters.end
        )
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("month")
        .annotate(n=Sum("count"))
    }
    table = Table([_("Month"), _("Electronic"), _("Paper"), _("Share electronic (%)")])
    bars = []
    for month, label in filters.month_labels():
        electronic = electronic_messages.get(month, 0) + electronic_deposits.get(month, 0)
        paper = paper_letters.get(month, 0) + paper_items.get(month, 0)
        table.rows.append([label, electronic, paper, share(electronic, electronic + paper)])
        bars.append(charts.Bar(label, share(electronic, electronic + paper)))
    electronic_total = sum(row[1] for row in table.rows)
    figure = Figure(
        "channels",
        gettext_lazy("Electronic and paper exchanges"),
        gettext_lazy(
            "Electronic: messages made available in the mailbox and deposits received through the portal. Paper: "
            "paper letters sent after a notification was not opened, and the paper items staff record (these are "
            "counted by unit and day only, so the cuts on case files do not apply to them)."
        ),
        table,
        TARGETS["channels"],
        electronic_total,
        electronic_total + sum(row[2] for row in table.rows),
    )
    figure.chart = charts.bar_chart(
        chart_id="chart-channels",
        title=str(figure.title),
        description=_("Share of electronic exchanges, per month, against the target."),
        bars=bars,
        unit=" %",
        maximum=100,
        target=TARGETS["channels"],
        target_label=_("target %(target)s %%") % {"target": TARGETS["channels"]},
    )
    return figure


FIGURES = ("casefiles", "phases", "access", "deposits", "notifications", "channels")


def all_figures(filters: Filters, today: datetime.date | None = None) -> list[Figure]:
    today = today or days.local_today()
    return [
        case_files_figure(filters, today),
        phases_figure(filters),
        access_figure(filters),
        deposits_figure(filters),
        notifications_figure(filters),
        channels_figure(filters),
    ]
