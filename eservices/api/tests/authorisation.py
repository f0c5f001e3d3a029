"""The API in the authorisation matrix: a session (whoever's) is no credential there, so every role of the
screens gets 401 and changes nothing; the schema and its docs are public; the token endpoint answers whoever
holds a client's id and secret. What each *client* gets, per scope and unit, is ``test_authorisation.py``."""

from eservices.core.tests.authorisation import METHOD_NOT_ALLOWED, OK, UNAUTHORIZED, Entry, Post, expect


def build_world(world):
    from .clients import SECRETS, register

    world.api_client = register("matrix", [world.unit], ["casefiles:read"], by=world.administrator)
    world.api_secret = SECRETS[world.api_client.pk]


def case_file(world):
    return {"pk": world.case_file.pk}


def in_case_file(world):
    return {"case_file": world.case_file.pk}


def document(world):
    return {"pk": world.case_file.documents.first().pk}


def one(world):
    return {"pk": 1}


def refused_post(data):
    return Post(data=data, expect=expect(UNAUTHORIZED), rightful="administrator", changes=False)


CASE_FILE = {"reference": "CPI/2026/0999", "kind": "investigation", "subject": "x", "language": "fr"}

ENTRIES = {
    "api:schema": Entry(expect=expect(OK), bearer=True),
    "api:docs": Entry(expect=expect(OK), bearer=True),
    "api:token": Entry(
        expect=expect(METHOD_NOT_ALLOWED),
        mutating=True,
        bearer=True,
        post=Post(
            data=lambda world: {
                "grant_type": "client_credentials",
                "client_id": world.api_client.application.client_id,
                "client_secret": world.api_secret,
            },
            expect=expect(OK),
            rightful="anonymous",
        ),
    ),
    "api:case_files": Entry(
        expect=expect(UNAUTHORIZED),
        bearer=True,
        post=refused_post(lambda world: {**CASE_FILE, "unit": "CPI", "opened_on": "2026-01-01"}),
    ),
    "api:case_file": Entry(kwargs=case_file, expect=expect(UNAUTHORIZED), bearer=True),
    "api:parties": Entry(
        kwargs=in_case_file,
        expect=expect(UNAUTHORIZED),
        bearer=True,
        post=refused_post(lambda world: {"role": "lawyer", "display_name": "Me X"}),
    ),
    "api:documents": Entry(
        kwargs=in_case_file,
        expect=expect(UNAUTHORIZED),
        bearer=True,
        post=refused_post(lambda world: {"title": "t", "kind": "report", "document_date": "2026-01-01"}),
    ),
    "api:document_content": Entry(kwargs=document, expect=expect(UNAUTHORIZED), bearer=True),
    "api:notifications": Entry(
        expect=expect(UNAUTHORIZED),
        bearer=True,
        post=refused_post(lambda world: {"case_file": world.case_file.pk, "kind": "communication", "subject": "s"}),
    ),
    "api:notification_evidence": Entry(kwargs=one, expect=expect(UNAUTHORIZED), bearer=True),
    "api:deposits": Entry(expect=expect(UNAUTHORIZED), bearer=True),
    "api:deposit": Entry(kwargs=one, expect=expect(UNAUTHORIZED), bearer=True),
    "api:deposit_file": Entry(kwargs={"pk": 1, "position": 1}, expect=expect(UNAUTHORIZED), bearer=True),
    "api:deposit_receipt": Entry(kwargs=one, expect=expect(UNAUTHORIZED), bearer=True),
    "api:deposit_acknowledge": Entry(
        kwargs=one, expect=expect(UNAUTHORIZED), bearer=True, post=refused_post(lambda world: {})
    ),
    "api:access_requests": Entry(expect=expect(UNAUTHORIZED), bearer=True),
    "api:access_request_decision": Entry(
        kwargs=one,
        expect=expect(UNAUTHORIZED),
        bearer=True,
        post=refused_post(lambda world: {"decision": "refuse", "reason": "other", "details": "x"}),
    ),
    "api:representations": Entry(expect=expect(UNAUTHORIZED), bearer=True),
    "api:evidence_feed": Entry(expect=expect(UNAUTHORIZED), bearer=True),
}
