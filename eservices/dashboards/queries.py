"""Reads of the dashboards, each scoped to the units the reader may see (issue 17).

Who sees which unit's figures: every staff member sees their own units; the Leading Official (a member of a unit
of kind "leading official") and the unit leads of the Service see all the Service's units (kinds "service" and
"leading official"); a registry is seen only by its own members, so the Service, a party before the courts, never
sees a court's figures.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from eservices.access.models import RAG, AccessRequest
from eservices.calendar import days
from eservices.casefiles.models import PhaseChange
from eservices.deposits.models import Deposit
from eservices.deposits.queries import deposits_for_staff
from eservices.mailbox.queries import failed_alerts_for_staff, paper_fallback_for_staff
from eservices.units import staff
from eservices.units.models import StaffRole, Unit

SERVICE_KINDS = (Unit.Kind.SERVICE, Unit.Kind.LEADING_OFFICIAL)
# A phase whose target ends within this many working days is at risk.
PHASE_AT_RISK_WORKING_DAYS = 5
# A failed alert is late after one working day, a paper letter after two.
FAILED_ALERT_WORKING_DAYS = 1
PAPER_LETTER_WORKING_DAYS = 2


def sees_all_service_units(user) -> bool:
    """The Leading Official and the Service's unit leads see every unit of the Service (never a registry)."""
    leading = staff.units_of(user).filter(kind=Unit.Kind.LEADING_OFFICIAL).exists()
    return leading or staff.units_of(user, roles=(StaffRole.UNIT_LEAD,)).filter(kind__in=SERVICE_KINDS).exists()


def dashboard_units(user) -> QuerySet:
    """The units whose figures the user may see."""
    own = Q(pk__in=staff.unit_ids_of(user))
    if sees_all_service_units(user):
        own |= Q(kind__in=SERVICE_KINDS)
    return Unit.objects.filter(own).order_by("code")


def _late_before(today: datetime.date, working_days: int) -> datetime.date:
    """The first day ``d`` whose item is still on time today: late means ``add_working_days(d, n) < today``."""
    day = today
    while days.add_working_days(day - datetime.timedelta(days=1), working_days) >= today:
        day -= datetime.timedelta(days=1)
    return day


RAG_WORDS = {
    None: _("Nothing waits"),
    RAG.GREEN: _("Green: everything is within its time limit"),
    RAG.ORANGE: _("Amber: something is due soon"),
    RAG.RED: _("Red: something is late"),
}


@dataclass
class Item:
    """One line of what needs attention: how many, how many late or at risk, and the queue's link."""

    key: str
    label: str
    count: int = 0
    late: int = 0
    at_risk: int = 0
    url: str = ""
    rule: str = ""

    @property
    def rag(self):
        if not self.count:
            return None
        if self.late:
            return RAG.RED
        if self.at_risk:
            return RAG.ORANGE
        return RAG.GREEN

    @property
    def rag_words(self):
        return RAG_WORDS[self.rag]


@dataclass
class UnitAttention:
    unit: Unit
    items: list = field(default_factory=list)

    @property
    def total(self):
        return sum(item.count for item in self.items)


def _by_unit(queryset, unit_field, late: Q, at_risk: Q) -> dict:
    rows = (
        queryset.order_by()
        .values(unit_field)
        .annotate(
            count=Count("pk", distinct=True),
            late=Count("pk", filter=late, distinct=True),
            at_risk=Count("pk", filter=at_risk, distinct=True),
        )
    )
    return {row[unit_field]: row for row in rows}


def attention_today(user, today: datetime.date | None = None) -> list[UnitAttention]:
    """What needs the staff member's attention today, per unit of theirs: requests to decide, deposits to triage,
    failed alerts, paper letters due and phase deadlines at risk, each counted in the database with its RAG."""
    from django.urls import reverse

    today = today or days.local_today()
    at_risk_access = today + datetime.timedelta(days=settings.ACCESS_AT_RISK_DAYS)
    requests = AccessRequest.objects.filter(staff.of_my_units(user), state__in=AccessRequest.OPEN_STATES)
    deposits = deposits_for_staff(user).exclude(state=Deposit.State.ACKNOWLEDGED)
    alerts = failed_alerts_for_staff(user)
    letters = paper_fallback_for_staff(user).filter(paper_letter_sent_on__isnull=True)
    phases = PhaseChange.objects.filter(
        staff.of_my_units(user, field="case_file__unit"), ended_on__isnull=True, due_on__isnull=False
    )
    alert_day = days.start_of_day(_late_before(today, FAILED_ALERT_WORKING_DAYS))
    letter_day = days.start_of_day(_late_before(today, PAPER_LETTER_WORKING_DAYS))
    counted = {
        "requests": _by_unit(
            requests,
            "unit_id",
            Q(decision_due_on__lt=today),
            Q(decision_due_on__gte=today, decision_due_on__lt=at_risk_access + datetime.timedelta(days=1)),
        ),
        "deposits": _by_unit(
            deposits,
            "unit_id",
            Q(triage_due_on__lt=today),
            Q(triage_due_on__gte=today, triage_due_on__lte=days.add_working_days(today, 1)),
        ),
        "alerts": _by_unit(alerts, "unit_id", Q(alert_failed_at__lt=alert_day), Q(alert_failed_at__gte=alert_day)),
        "letters": _by_unit(
            letters, "unit_id", Q(not_opened_recorded_at__lt=letter_day), Q(not_opened_recorded_at__gte=letter_day)
        ),
        "phases": _by_unit(
            phases,
            "case_file__unit_id",
            Q(due_on__lt=today),
            Q(due_on__gte=today, due_on__lte=days.add_working_days(today, PHASE_AT_RISK_WORKING_DAYS)),
        ),
    }
    lines = [
        (
            "requests",
            _("Access requests to decide"),
            "backoffice:access_requests",
            True,
            _("late once past the decision date; at risk in its last %(days)s days")
            % {"days": settings.ACCESS_AT_RISK_DAYS},
        ),
        (
            "deposits",
            _("Deposits to triage"),
            "backoffice:deposit_queue",
            True,
            _("late once past the triage date; at risk when due today or on the next working day"),
        ),
        (
            "alerts",
            _("Failed e-mail alerts"),
            "backoffice:mailbox_failed_alerts",
            False,
            _("late when not handled by the next working day; otherwise due today"),
        ),
        (
            "letters",
            _("Paper letters due"),
            "backoffice:mailbox_paper_fallback",
            False,
            _("late when not sent within two working days; otherwise due soon"),
        ),
        (
            "phases",
            _("Phase deadlines at risk"),
            "dashboards:deadlines",
            True,
            _("phases past their target are late; at risk when the target ends within %(days)s working days")
            % {"days": PHASE_AT_RISK_WORKING_DAYS},
        ),
    ]
    result = []
    for unit in staff.units_of(user).order_by("code"):
        attention = UnitAttention(unit)
        for key, label, url_name, by_unit, rule in lines:
            row = counted[key].get(unit.pk, {})
            url = reverse(url_name) + (f"?unit={unit.code}" if by_unit else "")
            attention.items.append(
                Item(
                    key,
                    str(label),
                    row.get("count", 0),
                    row.get("late", 0),
                    row.get("at_risk", 0),
                    url,
                    str(rule),
                )
            )
        result.append(attention)
    return result


def phase_deadlines(user, *, unit_code: str = "", today: datetime.date | None = None) -> QuerySet:
    """Current phases of the user's units with a target, the nearest due date first (late ones first)."""
    rows = PhaseChange.objects.filter(
        staff.of_my_units(user, field="case_file__unit"), ended_on__isnull=True, due_on__isnull=False
    ).select_related("case_file", "case_file__unit")
    if unit_code:
        rows = rows.filter(case_file__unit__code=unit_code)
    return rows.order_by("due_on", "case_file__reference")
