"""The demo gives the dashboards two semesters of figures, and loading it again adds nothing."""

import pytest
from django.core.management import call_command

from eservices.access.models import AccessRequest
from eservices.calendar import days
from eservices.casefiles.models import PhaseChange
from eservices.dashboards import figures, queries
from eservices.dashboards.models import PaperExchange
from eservices.identity.models import User


@pytest.mark.django_db
def test_demo_dashboards_span_two_semesters_and_are_idempotent():
    call_command("load_demo")
    counted = (PhaseChange.objects.count(), AccessRequest.objects.count(), PaperExchange.objects.count())
    call_command("load_demo")
    assert (PhaseChange.objects.count(), AccessRequest.objects.count(), PaperExchange.objects.count()) == counted
    lead = User.objects.get(username="chef.secm")
    assert sorted(queries.dashboard_units(lead).values_list("code", flat=True)) == ["FD", "SECM"]
    today = days.local_today()
    start, end = figures.semester_of(today)
    previous_start, previous_end = figures.semester_of(start - figures.datetime.timedelta(days=1))
    for period in ((start, end), (previous_start, previous_end)):
        filters = figures.Filters(units=list(queries.dashboard_units(lead)), start=period[0], end=period[1])
        assert figures.phases_figure(filters).total > 0, period
    clerk = User.objects.get(username="greffier.cpi")
    assert list(queries.dashboard_units(clerk).values_list("code", flat=True)) == ["CPI"]
