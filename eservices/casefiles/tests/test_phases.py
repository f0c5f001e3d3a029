"""Phases of a case file: one write path (services.change_phase), audited, staff of the unit only; targets."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eservices.audit.models import AuditEvent
from eservices.casefiles import services
from eservices.casefiles.models import CaseFile, Phase, PhaseChange, PhaseTarget
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .factories import registrar

D = datetime.date


APRIL_FIRST = D(2026, 4, 1)


def _open(unit, reference="P/2026/1", opened_on=APRIL_FIRST, kind=CaseFile.Kind.INVESTIGATION):
    return services.create_case_file(
        actor=registrar(unit),
        unit=unit,
        reference=reference,
        kind=kind,
        subject="Phases",
        language="fr",
        opened_on=opened_on,
    )


@pytest.mark.django_db
def test_a_new_case_file_starts_in_admissibility_with_its_due_date_over_easter_monday():
    unit = UnitFactory(code="P")
    PhaseTarget.objects.create(kind=CaseFile.Kind.INVESTIGATION, phase=Phase.ADMISSIBILITY, working_days=5)
    case_file = _open(unit)
    (first,) = PhaseChange.objects.filter(case_file=case_file)
    assert case_file.phase == Phase.ADMISSIBILITY and first.ended_on is None
    # Thu 2, Fri 3, (Easter Monday 6 April 2026 is a legal holiday), Tue 7, Wed 8, Thu 9.
    assert first.due_on == D(2026, 4, 9)


@pytest.mark.django_db
def test_changing_phase_ends_the_current_one_with_its_working_days_and_is_audited():
    unit = UnitFactory(code="P")
    PhaseTarget.objects.create(kind=CaseFile.Kind.INVESTIGATION, phase=Phase.ADMISSIBILITY, working_days=5)
    case_file = _open(unit)
    services.change_phase(actor=registrar(unit), case_file=case_file, phase=Phase.EVALUATION, on=D(2026, 4, 9))
    first, second = PhaseChange.objects.filter(case_file=case_file).order_by("started_on", "id")
    assert (first.ended_on, first.working_days, first.on_time) == (D(2026, 4, 9), 5, True)
    assert (second.phase, second.started_on, second.ended_on, second.due_on) == (
        Phase.EVALUATION,
        D(2026, 4, 9),
        None,
        None,
    )
    case_file.refresh_from_db()
    assert case_file.phase == Phase.EVALUATION
    event = AuditEvent.objects.get(action="casefile.phase_changed")
    assert event.details == {"from": "admissibility", "to": "evaluation", "on": "2026-04-09"}


@pytest.mark.django_db
def test_one_day_late_is_late():
    unit = UnitFactory(code="P")
    PhaseTarget.objects.create(kind=CaseFile.Kind.INVESTIGATION, phase=Phase.ADMISSIBILITY, working_days=5)
    case_file = _open(unit)
    services.change_phase(actor=registrar(unit), case_file=case_file, phase=Phase.EVALUATION, on=D(2026, 4, 10))
    first = PhaseChange.objects.get(case_file=case_file, phase=Phase.ADMISSIBILITY)
    assert (first.working_days, first.on_time) == (6, False)


@pytest.mark.django_db
def test_closing_closes_the_case_file():
    unit = UnitFactory(code="P")
    case_file = _open(unit)
    services.change_phase(actor=registrar(unit), case_file=case_file, phase=Phase.CLOSED, on=D(2026, 5, 4))
    case_file.refresh_from_db()
    assert (case_file.phase, case_file.status, case_file.closed_on) == (Phase.CLOSED, "closed", D(2026, 5, 4))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "on"),
    [(Phase.ADMISSIBILITY, D(2026, 4, 9)), (Phase.EVALUATION, D(2026, 3, 31)), (Phase.EVALUATION, D(2999, 1, 1))],
)
def test_refused_changes_change_nothing(phase, on):
    unit = UnitFactory(code="P")
    case_file = _open(unit)
    with pytest.raises(ValidationError):
        services.change_phase(actor=registrar(unit), case_file=case_file, phase=phase, on=on)
    assert PhaseChange.objects.filter(case_file=case_file).count() == 1
    assert not AuditEvent.objects.filter(action="casefile.phase_changed").exists()


@pytest.mark.django_db
def test_staff_of_another_unit_cannot_change_the_phase():
    case_file = _open(UnitFactory(code="P"))
    other = StaffFactory(unit=UnitFactory(code="Q"))
    with pytest.raises(PermissionDenied):
        services.change_phase(actor=other, case_file=case_file, phase=Phase.EVALUATION, on=D(2026, 4, 9))
    assert PhaseChange.objects.filter(case_file=case_file).count() == 1
    case_file.refresh_from_db()
    assert case_file.phase == Phase.ADMISSIBILITY


@pytest.mark.django_db
def test_only_a_functional_administrator_sets_targets():
    unit = UnitFactory(code="P")
    agent = StaffFactory(unit=unit)
    with pytest.raises(PermissionDenied):
        services.set_phase_target(actor=agent, kind="investigation", phase="evaluation", working_days=20)
    assert not PhaseTarget.objects.exists()
    admin = StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)
    services.set_phase_target(actor=admin, kind="investigation", phase="evaluation", working_days=20)
    services.set_phase_target(actor=admin, kind="investigation", phase="evaluation", working_days=25)
    assert PhaseTarget.objects.get().working_days == 25
    assert AuditEvent.objects.filter(action="casefile.phase_target_set").count() == 2
    with pytest.raises(ValidationError):
        services.set_phase_target(actor=admin, kind="investigation", phase="closed", working_days=3)


@pytest.mark.django_db
def test_the_data_migration_gives_existing_case_files_their_first_phase():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("eservices.casefiles.migrations.0006_initial_phase_of_existing_case_files")
    unit = UnitFactory(code="P")
    open_one = CaseFile.objects.create(
        unit=unit, reference="P/1", kind="investigation", subject="a", language="fr", opened_on=D(2025, 2, 3)
    )
    closed_one = CaseFile.objects.create(
        unit=unit,
        reference="P/2",
        kind="investigation",
        subject="b",
        language="fr",
        opened_on=D(2025, 2, 3),
        status="closed",
        closed_on=D(2025, 6, 30),
    )
    migration.initial_phases(apps, None)
    migration.initial_phases(apps, None)  # again: nothing added
    assert list(PhaseChange.objects.filter(case_file=open_one).values_list("phase", "started_on")) == [
        ("admissibility", D(2025, 2, 3))
    ]
    assert list(PhaseChange.objects.filter(case_file=closed_one).values_list("phase", "started_on")) == [
        ("closed", D(2025, 6, 30))
    ]
    closed_one.refresh_from_db()
    assert closed_one.phase == "closed"
