"""Every screen of case files and access, for every role: who gets the page, who is sent away, who finds nothing.

302: sent to log in; 403: not staff (the back office as a whole); 404: absent for this reader, exactly like an
identifier that does not exist.
"""

import pytest

from conftest import log_in
from eservices.access import services
from eservices.identity.models import Capacity

ROLES = ["anonymous", "outsider", "concerned_user", "representative", "lawyer_user", "other_staff", "clerk"]

# path, then the expected status for each role in ROLES' order
MATRIX = [
    ("/en/case-files/", [302, 200, 200, 200, 200, 200, 200]),
    ("/en/case-files/{case_file}/", [302, 404, 200, 200, 200, 404, 200]),
    ("/en/case-files/{case_file}/consultations/", [302, 404, 200, 200, 200, 404, 200]),
    ("/en/case-files/{case_file}/documents.zip", [302, 404, 200, 200, 200, 404, 200]),
    ("/en/documents/{public}/download", [302, 404, 200, 200, 200, 404, 200]),
    ("/en/documents/{for_concerned}/download", [302, 404, 200, 404, 200, 404, 200]),
    ("/en/documents/{staff_only}/download", [302, 404, 404, 404, 404, 404, 200]),
    ("/en/documents/{secret}/download", [302, 404, 404, 404, 404, 404, 200]),
    ("/en/access-requests/", [302, 200, 200, 200, 200, 200, 200]),
    ("/en/access-requests/{request}/", [302, 200, 404, 404, 404, 404, 404]),
    ("/en/backoffice/case-files/", [302, 403, 403, 403, 403, 200, 200]),
    ("/en/backoffice/case-files/{case_file}/", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/case-files/{case_file}/edit/", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/case-files/{case_file}/history/", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/case-files/{case_file}/documents.zip", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/documents/{secret}/visibility/", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/documents/{secret}/download", [302, 403, 403, 403, 403, 404, 200]),
    ("/en/backoffice/access-requests/", [302, 403, 403, 403, 403, 200, 200]),
    ("/en/backoffice/access-requests/{request}/", [302, 403, 403, 403, 403, 404, 200]),
]


@pytest.fixture
def ids(world):
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X"
    )
    return {
        "case_file": world.case_file.pk,
        "public": world.public.pk,
        "for_concerned": world.for_concerned.pk,
        "staff_only": world.staff_only.pk,
        "secret": world.secret.pk,
        "request": access_request.pk,
    }


@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_each_role_on_each_screen(world, ids, client, path, expected):
    for role, status in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            log_in(client, getattr(world, role))
        response = client.get(path.format(**ids))
        assert response.status_code == status, f"{role} on {path}: {response.status_code}, expected {status}"


@pytest.mark.parametrize(
    "path",
    [
        "/en/backoffice/grants/{grant}/revoke/",
        "/en/backoffice/case-files/{case_file}/parties/",
        "/en/backoffice/case-files/{case_file}/documents/",
        "/en/backoffice/case-files/{case_file}/delete/",
        "/en/backoffice/access-requests/{request}/",
    ],
)
def test_no_change_by_staff_of_another_unit_or_by_citizens(world, ids, client, path):
    """Every POST of the back office: 403 for citizens, 404 for staff of another unit; nothing changes."""
    ids = {**ids, "grant": world.lawyer_grant.pk}
    for role, status in (("lawyer_user", 403), ("other_staff", 404)):
        log_in(client, getattr(world, role))
        assert client.post(path.format(**ids), {"action": "refuse", "reason": "other", "details": "x"}).status_code == (
            status
        )
    world.lawyer_grant.refresh_from_db()
    assert world.lawyer_grant.revoked_at is None


def test_forms_need_the_csrf_token(world, ids):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    log_in(client, world.clerk)
    response = client.post(f"/en/backoffice/access-requests/{ids['request']}/", {"action": "grant", "scope": "whole"})
    assert response.status_code == 403
    log_in(client, world.outsider)
    assert client.post("/en/access-requests/new/", {"reference": "CPI/2026/0042"}).status_code == 403
