"""The dashboard's figures against hand-computed ones on a small data set: phase changes on known dates around
Easter Monday 2026, access requests decided either side of midnight in Brussels, deposits triaged on the day and
one working day late, messages opened after known waits; and the RAG edges."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from eservices.access.models import RAG, AccessRequest
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Phase, PhaseTarget
from eservices.casefiles.tests.factories import registrar
from eservices.dashboards import figures
from eservices.dashboards.db import percentile_cont
from eservices.dashboards.models import PaperExchange
from eservices.deposits.models import Deposit
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.tests.factories import UserFactory
from eservices.mailbox import services as mailbox_services
from eservices.mailbox.models import Message
from eservices.mailbox.tests.factories import case_with_parties, send
from eservices.units.models import Unit
from eservices.units.tests.factories import UnitFactory

D = datetime.date
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
H1 = (D(2026, 1, 1), D(2026, 6, 30))


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def filters(unit, start=H1[0], end=H1[1], **cuts):
    return figures.Filters(units=[unit], start=start, end=end, **cuts)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def unit(db):
    return UnitFactory(code="S", kind=Unit.Kind.SERVICE)


def _case_file(unit, number, **fields):
    return casefile_services.create_case_file(
        actor=registrar(unit),
        unit=unit,
        reference=f"S/2026/{number}",
        kind=CaseFile.Kind.INVESTIGATION,
        subject="x",
        language=fields.pop("language", "fr"),
        opened_on=D(2026, 4, 1),
        **fields,
    )


def test_rag_edges_exactly_on_target_is_green():
    assert figures.rag_for_share(19, 20, 95) == RAG.GREEN  # 95 % exactly
    assert figures.rag_for_share(20, 20, 95) == RAG.GREEN
    assert figures.rag_for_share(18, 20, 95) == RAG.ORANGE  # 90 %
    assert figures.rag_for_share(17, 20, 95) == RAG.ORANGE  # 85 %: exactly 10 points below
    assert figures.rag_for_share(16, 20, 95) == RAG.RED  # 80 %
    assert figures.rag_for_share(0, 0, 95) is None


def test_percentile_is_postgresql_percentile_cont():
    assert percentile_cont([5, 6, 7], 0.5) == 6
    assert percentile_cont([5, 6, 7], 0.9) == pytest.approx(6.8)
    assert percentile_cont([4, 1], 0.5) == 2.5
    assert percentile_cont([], 0.5) is None


def test_time_in_phase_over_easter_monday(unit):
    PhaseTarget.objects.create(kind=CaseFile.Kind.INVESTIGATION, phase=Phase.ADMISSIBILITY, working_days=5)
    clerk = registrar(unit)
    # Opened Wed 1 April 2026; Easter Monday (6 April) is a legal holiday.
    for number, ended in ((1, D(2026, 4, 9)), (2, D(2026, 4, 10)), (3, D(2026, 4, 13))):
        case_file = _case_file(unit, number, origin="complaint" if number == 1 else "inspection")
        casefile_services.change_phase(actor=clerk, case_file=case_file, phase=Phase.EVALUATION, on=ended)
    figure = figures.phases_figure(filters(unit))
    # 5, 6 and 7 working days: median 6, 90th percentile 6 + 0.8 × (7 − 6); on time: only the first.
    assert figure.table.rows == [["Admissibility", "April 2026", 3, 6.0, pytest.approx(6.8), "1/3"]]
    assert (figure.part, figure.total, figure.rag) == (1, 3, RAG.RED)
    only_complaints = figures.phases_figure(filters(unit, origin="complaint"))
    assert only_complaints.table.rows == [["Admissibility", "April 2026", 1, 5.0, 5.0, "1/1"]]
    assert only_complaints.rag == RAG.GREEN
    # Before the period: nothing.
    assert figures.phases_figure(filters(unit, D(2025, 1, 1), D(2025, 12, 31))).table.rows == []


def test_case_files_by_kind_phase_and_status(unit):
    PhaseTarget.objects.create(kind=CaseFile.Kind.INVESTIGATION, phase=Phase.EVALUATION, working_days=400)
    clerk = registrar(unit)
    first, second = _case_file(unit, 1), _case_file(unit, 2)
    _case_file(unit, 3)
    casefile_services.change_phase(actor=clerk, case_file=first, phase=Phase.EVALUATION, on=D(2026, 4, 20))
    casefile_services.change_phase(actor=clerk, case_file=second, phase=Phase.CLOSED, on=D(2026, 4, 21))
    figure = figures.case_files_figure(filters(unit), today=D(2026, 5, 1))
    assert figure.table.rows[0] == ["Investigation and control", 1, 1, 0, 1, 3]
    assert dict(figure.status_table.rows)["Closed"] == 1
    assert dict(figure.status_table.rows)["Open"] == 2
    # One current phase has a target (evaluation, 400 working days): within it.
    assert (figure.part, figure.total, figure.rag) == (1, 1, RAG.GREEN)


def _request(unit, due, decided_at, requester):
    return AccessRequest.objects.create(
        requester=requester,
        reference="S/2026/1",
        unit=unit,
        capacity="lawyer",
        state=AccessRequest.State.GRANTED,
        decision_due_on=due,
        decided_at=decided_at,
    )


def test_access_requests_decided_on_time_by_the_brussels_date(unit):
    requester = UserFactory()
    _request(unit, D(2026, 5, 4), at(2026, 5, 4, 23, 30), requester)  # on its last day, late in the evening
    _request(unit, D(2026, 5, 4), at(2026, 5, 5, 0, 30), requester)  # still 4 May in UTC, but one day late
    _request(unit, D(2026, 6, 1), at(2026, 5, 20, 10, 0), requester)
    other = UnitFactory(code="R", kind=Unit.Kind.REGISTRY)
    _request(other, D(2026, 5, 4), at(2026, 5, 30, 10, 0), requester)  # another unit's: not counted
    figure = figures.access_figure(filters(unit))
    may = next(row for row in figure.table.rows if row[0] == "May 2026")
    assert may == ["May 2026", 3, 2, 66.7]
    assert (figure.part, figure.total, figure.rag) == (2, 3, RAG.RED)
    assert len(figure.table.rows) == 6  # every month of the semester, empty ones too


def test_deposits_triaged_on_time_and_one_working_day_late(db):
    case_file, clerk, person, _lawyer, _document = case_with_parties(UnitFactory(code="SECM"))
    on_time, late = make_deposit(person, case_file), make_deposit(person, case_file)
    Deposit.objects.filter(pk=on_time.pk).update(
        state="acknowledged", triage_due_on=D(2026, 5, 15), acknowledged_at=at(2026, 5, 15, 16, 0)
    )
    Deposit.objects.filter(pk=late.pk).update(
        state="acknowledged", triage_due_on=D(2026, 5, 15), acknowledged_at=at(2026, 5, 18, 9, 0)
    )
    figure = figures.deposits_figure(filters(case_file.unit))
    assert next(row for row in figure.table.rows if row[0] == "May 2026") == ["May 2026", 2, 1, 50.0]
    assert figure.rag == RAG.RED


def test_notifications_opened_and_time_to_open_and_the_electronic_share(db):
    case_file, clerk, person, lawyer, document = case_with_parties(UnitFactory(code="SECM"))
    mailboxes = [mailbox_services.mailbox_of_user(person), mailbox_services.mailbox_of_user(lawyer)]
    first, second = send(clerk, case_file, mailboxes, documents=[document])
    Message.objects.filter(pk=first.pk).update(made_available_at=at(2026, 3, 2, 9, 0), opened_at=at(2026, 3, 4, 9, 0))
    Message.objects.filter(pk=second.pk).update(
        made_available_at=at(2026, 3, 2, 9, 0), opened_at=None, paper_letter_sent_on=D(2026, 3, 20)
    )
    PaperExchange.objects.create(
        unit=case_file.unit, occurred_on=D(2026, 3, 10), direction="received", count=2, recorded_by=clerk
    )
    f = filters(case_file.unit)
    notifications = figures.notifications_figure(f)
    march = next(row for row in notifications.table.rows if row[0] == "March 2026")
    assert march == ["March 2026", 2, 1, 50.0, 2.0, 2.0]
    channels = figures.channels_figure(f)
    # Electronic: 2 messages; paper: 1 letter + 2 items recorded by staff.
    assert next(row for row in channels.table.rows if row[0] == "March 2026") == ["March 2026", 2, 3, 40.0]
    assert (channels.part, channels.total, channels.rag) == (2, 5, RAG.RED)
