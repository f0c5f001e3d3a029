"""The dashboards: any staff member sees the dashboard (of the units they may see); persons are refused; phase
changes are for staff of the case file's unit, phase targets for functional administrators."""

from eservices.core.tests.authorisation import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Entry,
    Post,
    expect,
)


def _semester(world):
    from eservices.calendar import days
    from eservices.dashboards.figures import semester_of

    return semester_of(days.local_today())[0].isoformat()


def clerks_report(world, ready=False):
    """A semester report the unit's agent asked for (built at once when ``ready``)."""
    import datetime

    from eservices.dashboards import reports
    from eservices.dashboards.models import SemesterReport

    report = SemesterReport.objects.create(
        requested_by=world.clerk,
        semester_start=datetime.date.fromisoformat(_semester(world)),
        language="fr",
        unit_codes=[world.unit.code],
    )
    if ready:
        reports.build(report.pk)
    return {"report_id": report.pk}


ANY_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN)
ADMINISTRATORS = expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)
REQUESTER = expect(NOT_FOUND, anonymous=LOGIN, persons=FORBIDDEN, staff_unit=OK)

ENTRIES = {
    "dashboards:index": Entry(expect=ANY_STAFF),
    "dashboards:export": Entry(kwargs={"figure": "access", "fmt": "csv"}, expect=ANY_STAFF),
    "dashboards:deadlines": Entry(expect=ANY_STAFF),
    "dashboards:change_phase": Entry(
        kwargs=lambda world: {"case_file_id": world.case_file.pk},
        expect=expect(METHOD_NOT_ALLOWED, anonymous=LOGIN, persons=FORBIDDEN),
        mutating=True,
        post=Post(
            data=lambda world: {"phase": "evaluation", "on": "2026-03-10"},
            expect=expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND),
            rightful="staff_unit",
        ),
    ),
    "dashboards:phase_targets": Entry(
        expect=ADMINISTRATORS,
        post=Post(
            data=lambda world: {"investigation-admissibility": "10"},
            expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=REDIRECT),
            rightful="administrator",
        ),
    ),
    "dashboards:paper_exchanges": Entry(
        expect=ANY_STAFF,
        post=Post(
            data=lambda world: {"unit": world.unit.pk, "occurred_on": "2026-03-10", "direction": "sent", "count": "3"},
            # Staff of another unit cannot choose this unit: the form says so (200), nothing is recorded.
            expect=expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=OK),
            rightful="staff_unit",
        ),
    ),
    "dashboards:reports": Entry(
        expect=ANY_STAFF,
        post=Post(
            data=lambda world: {"semester": _semester(world), "language": "fr", "unit": ""},
            expect=expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN),
            rightful="staff_unit",
        ),
    ),
    "dashboards:report": Entry(kwargs=clerks_report, expect=REQUESTER),
    "dashboards:report_pdf": Entry(kwargs=lambda world: clerks_report(world, ready=True), expect=REQUESTER),
    "dashboards:attention_points": Entry(
        expect=ANY_STAFF,
        post=Post(
            data=lambda world: {"unit": world.unit.pk, "semester": _semester(world), "access": "Two late decisions."},
            # Staff of another unit cannot choose this unit: the form says so (200), nothing is written.
            expect=expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=OK),
            rightful="staff_unit",
        ),
    ),
}
