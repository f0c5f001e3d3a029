"""The dashboards' demo data (issue 17): phase targets, case files moving through their phases over the last two
semesters, decided access requests and paper exchanges, so that the unit lead and the Leading Official see figures
and trends. Idempotent: what exists is left as it is."""

import datetime

from django.utils import timezone

from eservices.access.models import AccessRequest
from eservices.calendar import days
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Origin, Phase, PhaseTarget, ProviderKind, Region
from eservices.dashboards.models import PaperExchange
from eservices.identity.models import Capacity, User
from eservices.units.models import Unit

# Working days per phase and kind (admissibility, evaluation, decision).
TARGETS = {
    "investigation": (10, 60, 20),
    "evaluation": (10, 40, 20),
    "leading_official": (5, 30, 20),
    "first_instance": (10, 80, 30),
    "appeal": (10, 80, 30),
}
PHASES = (Phase.ADMISSIBILITY, Phase.EVALUATION, Phase.DECISION)
# unit code, acting staff member, kinds, how many case files
SERIES = [
    ("SECM", "agent.secm", ("investigation", "evaluation"), 36),
    ("FD", "fd.secm", ("leading_official",), 10),
    ("CPI", "greffier.cpi", ("first_instance",), 12),
    ("CR", "greffier.cr", ("appeal",), 6),
]
SUBJECTS = {
    "fr": "Contrôle de la facturation (série de démonstration)",
    "nl": "Controle van de facturatie (demonstratiereeks)",
}


def load() -> None:
    administrator = User.objects.get(username="beheerder")
    for kind, targets in TARGETS.items():
        for phase, working_days in zip(PHASES, targets, strict=True):
            if not PhaseTarget.objects.filter(kind=kind, phase=phase).exists():
                casefile_services.set_phase_target(
                    actor=administrator, kind=kind, phase=phase, working_days=working_days
                )
    today = days.local_today()
    start = today - datetime.timedelta(days=360)  # two semesters back
    for code, username, kinds, count in SERIES:
        unit = Unit.objects.get(code=code)
        actor = User.objects.get(username=username)
        for index in range(count):
            _series_case_file(unit, actor, kinds[index % len(kinds)], index, start, today)
    _access_requests(start, today)
    _paper_exchanges(start, today)


def _series_case_file(unit, actor, kind, index, start, today):
    reference = f"{unit.code}/{start.year}/9{index:05d}"
    if CaseFile.objects.filter(reference=reference).exists():
        return
    opened_on = days.next_working_day(start + datetime.timedelta(days=index * 300 // 36))
    language = "nl" if index % 3 == 1 else "fr"
    case_file = casefile_services.create_case_file(
        actor=actor,
        unit=unit,
        reference=reference,
        kind=kind,
        subject=SUBJECTS[language],
        language=language,
        opened_on=opened_on,
        origin=Origin.values[index % 3],
        provider_kind=ProviderKind.values[index % len(ProviderKind.values)],
        region=Region.values[index % 3],
    )
    # Some phases finish early, some on the last day, some late: deterministic by the index.
    targets = TARGETS[kind]
    day = opened_on
    for position, phase in enumerate((Phase.EVALUATION, Phase.DECISION, Phase.CLOSED)):
        target = targets[position]
        length = max(1, target + ((index * 7 + position * 5) % 11) - 6)
        day = days.add_working_days(day, length)
        if day > today:
            return
        casefile_services.change_phase(actor=actor, case_file=case_file, phase=phase, on=day)


def _access_requests(start, today):
    """Access requests decided over the two semesters, most on time, some late (as the queue would have seen)."""
    # A requester of the past, known to no identity provider: the citizens' own pages stay as the demo shows them.
    requester, created = User.objects.get_or_create(
        username="archives.demo",
        defaults={"first_name": "Archives", "last_name": "Demo", "email": "archives.demo@demo.example"},
    )
    if created:
        requester.set_unusable_password()
        requester.save(update_fields=["password"])
    decider = User.objects.get(username="agent.secm")
    unit = Unit.objects.get(code="SECM")
    if AccessRequest.objects.filter(requester=requester, reference__startswith="SECM/DEMO/").exists():
        return
    zone = timezone.get_current_timezone()
    rows = []
    for index in range(40):
        submitted = start + datetime.timedelta(days=index * 8)
        due = days.add_working_days(submitted, 15)
        decided = days.add_working_days(submitted, 12 + (index % 6))
        if decided > today:
            break
        rows.append(
            AccessRequest(
                requester=requester,
                reference=f"SECM/DEMO/{index:04d}",
                unit=unit,
                capacity=Capacity.LAWYER,
                acting_for="Dr Peeters",
                state=AccessRequest.State.REFUSED if index % 5 == 0 else AccessRequest.State.GRANTED,
                refusal_reason="reference_unknown" if index % 5 == 0 else "",
                submitted_at=datetime.datetime.combine(submitted, datetime.time(10), tzinfo=zone),
                decision_due_on=due,
                decided_at=datetime.datetime.combine(decided, datetime.time(15), tzinfo=zone),
                decided_by=decider,
            )
        )
    AccessRequest.objects.bulk_create(rows)


def _paper_exchanges(start, today):
    recorder = User.objects.get(username="agent.secm")
    unit = Unit.objects.get(code="SECM")
    if PaperExchange.objects.filter(unit=unit).exists():
        return
    rows = []
    for month in range(12):
        day = days.next_working_day(start + datetime.timedelta(days=month * 30 + 3))
        if day > today:
            break
        for direction, count in (("sent", 6 - month // 3), ("received", 4 - month // 4)):
            rows.append(
                PaperExchange(
                    unit=unit, occurred_on=day, direction=direction, count=max(count, 1), recorded_by=recorder
                )
            )
    PaperExchange.objects.bulk_create(rows)
