"""Changes made in Django's admin are in the hash-chained audit trail (issue 11)."""

import pytest
from django.contrib import admin
from django.core.management import call_command

from conftest import log_in
from eservices.audit.admin_site import AuditedAdminMixin
from eservices.audit.models import AuditEvent
from eservices.identity.models import Company
from eservices.identity.tests.factories import CompanyFactory, UserFactory
from eservices.units.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_every_model_admin_is_audited():
    """Whoever registers a model in the admin, its changes are recorded: the site wraps every ModelAdmin."""
    assert [
        model for model, model_admin in admin.site._registry.items() if not isinstance(model_admin, AuditedAdminMixin)
    ] == []


def test_adding_changing_and_deleting_in_the_admin_is_recorded(client):
    superuser = StaffFactory(is_staff=True, is_superuser=True)
    log_in(client, superuser)  # the admin needs strong authentication
    response = client.post("/fr/admin/identity/company/add/", {"company_number": "0412345614", "name": "Medilab SRL"})
    assert response.status_code == 302, response.content.decode()[:2000]
    company = Company.objects.get(company_number="0412345614")
    user = UserFactory()
    page = client.get(f"/fr/admin/identity/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"is_superuser": "on", "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/fr/admin/identity/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_superuser
    other = CompanyFactory()
    client.post(f"/fr/admin/identity/company/{other.pk}/delete/", {"post": "yes"})
    assert not Company.objects.filter(pk=other.pk).exists()

    events = {
        (event.action, event.object_type, event.object_id): event
        for event in AuditEvent.objects.filter(action__startswith="admin.")
    }
    assert set(events) == {
        ("admin.added", "identity.company", str(company.pk)),
        ("admin.changed", "identity.user", str(user.pk)),
        ("admin.deleted", "identity.company", str(other.pk)),
    }
    changed = events[("admin.changed", "identity.user", str(user.pk))]
    assert changed.actor == superuser and changed.capacity == "admin"
    assert changed.details == {
        "model": "identity.user",
        "changes": [{"changed": {"fields": ["Superuser status", "Date joined"]}}],
    }
    call_command("verify_audit")


def test_a_bulk_delete_records_each_object(client):
    log_in(client, StaffFactory(is_staff=True, is_superuser=True))
    companies = CompanyFactory.create_batch(2)
    response = client.post(
        "/fr/admin/identity/company/",
        {"action": "delete_selected", "_selected_action": [c.pk for c in companies], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = set(AuditEvent.objects.filter(action="admin.deleted").values_list("object_id", flat=True))
    assert deleted == {str(c.pk) for c in companies}
