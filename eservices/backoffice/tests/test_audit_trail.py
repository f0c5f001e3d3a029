"""Unit leads and functional administrators search and export the audit trail; nobody else does."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.audit.services import record
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory, UnitFactory

SEARCH = "/fr/backoffice/audit/"


@pytest.fixture
def trail():
    """Events of two units and one without a unit."""
    secm, cpi = UnitFactory(code="SECM"), UnitFactory(code="CPI")
    agent = UserFactory(username="agent.secm", first_name="Sophie", last_name="Lambertqx")
    secm_case, cpi_case = CaseFileFactory(unit=secm), CaseFileFactory(unit=cpi)
    record("casefile.viewed", actor=agent, target=secm_case)
    record("document.downloaded", actor=agent, target=secm_case, capacity="lawyer")
    record("casefile.viewed", target=cpi_case)
    record("login.succeeded", actor=agent)
    return {"secm": secm, "cpi": cpi, "secm_case": secm_case, "cpi_case": cpi_case, "agent": agent}


def lead_of(unit):
    return StaffFactory(unit=unit, unit__role=StaffRole.UNIT_LEAD)


def administrator_of(unit):
    return StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)


def actions(response):
    return [event.action for event in response.context["page"].object_list]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, trail):
    for url in (SEARCH, SEARCH + "export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, StaffRole.AGENT, StaffRole.REGISTRY_CLERK])
def test_others_are_refused(client, trail, role):
    user = UserFactory() if role is None else StaffFactory(unit=trail["secm"], unit__role=role)
    log_in(client, user)
    for url in (SEARCH, SEARCH + "export.csv", SEARCH + "export.json"):
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


@pytest.mark.django_db
def test_administrator_searches_the_whole_trail_and_the_search_is_recorded(client, trail):
    admin = administrator_of(trail["secm"])
    log_in(client, admin)
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert actions(response) == ["login.succeeded", "casefile.viewed", "document.downloaded", "casefile.viewed"]
    searched = AuditEvent.objects.get(action="audit.searched")
    assert searched.actor == admin and searched.capacity == StaffRole.ADMINISTRATOR
    assert searched.details == {"filters": {}, "page": 1, "results": 4}


@pytest.mark.django_db
def test_unit_lead_sees_the_events_of_their_unit_only(client, trail):
    log_in(client, lead_of(trail["cpi"]))
    response = client.get(SEARCH)
    assert [event.object_repr for event in response.context["page"].object_list] == [trail["cpi_case"].reference]


@pytest.mark.django_db
def test_search_by_action_actor_object_and_dates(client, trail):
    log_in(client, administrator_of(trail["secm"]))
    assert actions(client.get(SEARCH, {"action": "casefile."})) == ["casefile.viewed", "casefile.viewed"]
    assert len(actions(client.get(SEARCH, {"actor": "lambertQX"}))) == 3
    assert len(actions(client.get(SEARCH, {"actor": "agent.secm"}))) == 3
    assert actions(client.get(SEARCH, {"target": trail["cpi_case"].reference})) == ["casefile.viewed"]
    today = timezone.localdate()
    assert len(actions(client.get(SEARCH, {"date_from": today, "date_to": today}))) >= 4
    tomorrow = today + datetime.timedelta(days=1)
    assert actions(client.get(SEARCH, {"date_from": tomorrow})) == []
    searched = AuditEvent.objects.filter(action="audit.searched").last()
    assert searched.details["filters"] == {"date_from": str(tomorrow)}


@pytest.mark.django_db
def test_reversed_dates_are_a_clear_error(client, trail):
    log_in(client, administrator_of(trail["secm"]))
    response = client.get(SEARCH, {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "La date de début ne peut pas être postérieure à la date de fin." in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.searched").exists()


@pytest.mark.django_db
def test_results_are_paginated(client, trail):
    for n in range(60):
        record("test.bulk", details={"n": n})
    log_in(client, administrator_of(trail["secm"]))
    first = client.get(SEARCH, {"action": "test.bulk"})
    assert len(actions(first)) == 50 and first.context["page"].has_next()
    assert "page=2" in first.content.decode() and "action=test.bulk" in first.content.decode()
    second = client.get(SEARCH, {"action": "test.bulk", "page": 2})
    assert len(actions(second)) == 10
    assert AuditEvent.objects.filter(action="audit.searched").last().details["page"] == 2


def streamed(response):
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_export_csv_is_neutralised_and_recorded(client, trail):
    record("casefile.viewed", target=trail["secm_case"], details={"note": "=HYPERLINK(1)"}, capacity="=cmd")
    log_in(client, administrator_of(trail["secm"]))
    response = client.get(SEARCH + "export.csv", {"action": "casefile."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert len(rows) == 3
    assert rows[0]["capacity"] == "'=cmd"
    assert rows[0]["entry_hash"] == AuditEvent.objects.get(sequence=rows[0]["sequence"]).entry_hash
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.details == {"filters": {"action": "casefile."}, "format": "csv", "results": 3}


@pytest.mark.django_db
def test_export_json_of_a_unit_lead_is_scoped(client, trail):
    log_in(client, lead_of(trail["secm"]))
    response = client.get(SEARCH + "export.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = json.loads(streamed(response))
    assert [row["action"] for row in rows] == ["document.downloaded", "casefile.viewed"]
    assert all(row["unit_code"] == "SECM" for row in rows)
    assert rows[0]["occurred_at"].endswith("Z")


@pytest.mark.django_db
def test_unknown_export_format_is_404(client, trail):
    log_in(client, administrator_of(trail["secm"]))
    assert client.get(SEARCH + "export.xml").status_code == 404


@pytest.mark.django_db
def test_dashboard_links_to_the_trail_for_its_readers_only(client, trail):
    log_in(client, administrator_of(trail["secm"]))
    assert SEARCH in client.get("/fr/backoffice/").content.decode()
    client.logout()
    log_in(client, StaffFactory(unit=trail["secm"]))
    assert SEARCH not in client.get("/fr/backoffice/").content.decode()


@pytest.mark.django_db
def test_an_exported_copy_can_be_checked_away_from_the_portal(client, trail):
    """Each JSON row holds what its hash covers: anyone can recompute it, and follow the chain."""
    import hashlib

    from eservices.audit.chain import canonical_json

    log_in(client, administrator_of(trail["secm"]))
    rows = json.loads(streamed(client.get(SEARCH + "export.json")))
    for row in rows:
        covered = {name: value for name, value in row.items() if name != "entry_hash"}
        assert hashlib.sha256(canonical_json(covered)).hexdigest() == row["entry_hash"]
    by_sequence = {row["sequence"]: row for row in rows}
    assert all(by_sequence[n]["previous_hash"] == by_sequence[n - 1]["entry_hash"] for n in range(2, 5))


@pytest.mark.django_db
def test_exports_are_rate_limited(client, trail, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "audit_export": {"user_or_ip": "2/m", "ip": "10/m"}}
    log_in(client, administrator_of(trail["secm"]))
    statuses = [client.get(SEARCH + "export.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert AuditEvent.objects.filter(action="audit.exported").count() == 2


@pytest.mark.django_db
def test_the_trail_says_actions_and_capacities_in_words(client, trail):
    """Issue 12: no raw codes on the page (the search still takes them, the exports keep them)."""
    log_in(client, administrator_of(trail["secm"]))
    html = client.get(SEARCH.replace("/fr/", "/en/")).content.decode()
    table = html[html.index("<tbody>") :]
    assert "Case file consulted" in table and "Document downloaded" in table and "Logged in" in table
    assert "Lawyer or counsel of a party" in table
    assert "casefile.viewed" not in table and ">lawyer<" not in table
