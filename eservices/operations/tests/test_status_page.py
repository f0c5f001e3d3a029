"""The operator's status page shows each check translated, late ones first and flagged (ops_status's report)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from conftest import log_in
from eservices.core.models import JobRun
from eservices.operations import scheduler
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return StaffFactory(unit__role=StaffRole.ADMINISTRATOR)


def page(client, user, language="fr"):
    log_in(client, user)
    with override(language):
        url = reverse("operations:status")
    return client.get(url)


def test_late_work_is_flagged_first_in_the_readers_language(client, administrator, monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {**scheduler.JOBS, "audit_checkpoint": lambda: None})
    scheduler.run_due("me")
    JobRun.objects.filter(name="retention").update(last_started_at=timezone.now() - datetime.timedelta(days=3))
    response = page(client, administrator)
    assert response.status_code == 200
    text = response.content.decode()
    late = [check for check in response.context["checks"] if not check.ok]
    assert {check.name for check in late} >= {"scheduler:retention", "audit checkpoint"}
    assert response.context["checks"][: len(late)] == late  # late ones first
    assert "Dernier point de contrôle" in text and "EN RETARD" in text  # translated, and flagged


def test_staff_who_are_not_administrators_are_refused(client):
    assert page(client, StaffFactory(unit__role=StaffRole.AGENT)).status_code == 403
