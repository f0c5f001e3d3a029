import pytest

from eservices.access.tests.personas import build_world
from eservices.audit.models import AuditEvent

from .clients import api, register, token_for

ALL = ["casefiles:read", "casefiles:write", "documents:read", "documents:write"]


@pytest.mark.django_db
def test_smoke():
    world = build_world()
    client = register("crm", [world.unit], ALL)
    http = api(token_for(client))
    response = http.get("/api/v1/case-files/")
    assert response.status_code == 200, response.content
    print(response.json())
    response = http.post(
        "/api/v1/case-files/",
        {
            "unit": "CPI",
            "reference": "CPI/2026/0099",
            "kind": "other",
            "subject": "x",
            "language": "fr",
            "opened_on": "2026-01-01",
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    print(response.status_code, response.content)
    print(AuditEvent.objects.order_by("-sequence").values("action", "actor_label", "capacity", "details")[:3])
