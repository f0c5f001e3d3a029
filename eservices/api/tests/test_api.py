"""The API's conventions and its clients: schema and docs, tokens, idempotency, ETags, problem details, rates,
the evidence feed."""

import base64
import datetime

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from oauth2_provider.models import AccessToken

from eservices.api import services
from eservices.audit.models import AuditEvent
from eservices.casefiles.models import CaseFile
from eservices.evidence.models import EvidenceEvent
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .clients import SECRETS, administrator, api, register, token_for
from .world import api_world

NEW_CASE_FILE = {
    "unit": "CPI",
    "reference": "CPI/2026/0500",
    "kind": "investigation",
    "subject": "Par l'API",
    "language": "fr",
    "opened_on": "2026-02-01",
}


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3_1_and_names_the_scopes():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"] == "3.1.0"
    validate_schema(schema)
    scheme = schema["components"]["securitySchemes"]["clientCredentials"]
    assert "casefiles:write" in scheme["flows"]["clientCredentials"]["scopes"]
    create = schema["paths"]["/api/v1/case-files/"]["post"]
    assert create["security"] == [{"clientCredentials": ["casefiles:write"]}]
    assert any(parameter["name"] == "Idempotency-Key" for parameter in create["parameters"])
    json_response = Client().get("/api/v1/schema/?format=json")
    assert json_response["Content-Type"].endswith("charset=utf-8")


@pytest.mark.django_db
def test_the_docs_page_runs_under_the_csp_from_local_files():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    assert "<script>" not in page and "<style>" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    for path in ("/static/api/docs.js", "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"):
        assert Client().get(path).status_code == 200


@pytest.mark.django_db
def test_only_a_functional_administrator_registers_a_client():
    unit = UnitFactory(code="CPI")
    agent = StaffFactory(unit=unit)
    with pytest.raises(PermissionDenied):
        services.register_client(actor=agent, name="x", units=[unit], scopes=["casefiles:read"])
    client, secret = services.register_client(
        actor=administrator(unit), name="crm", units=[unit], scopes=["casefiles:read"]
    )
    assert client.application.client_secret != secret  # only a hash is kept
    event = AuditEvent.objects.get(action="api.client_registered")
    assert event.details["units"] == ["CPI"] and event.details["scopes"] == ["casefiles:read"]


@pytest.mark.django_db
def test_tokens_are_short_lived_limited_to_the_registered_scopes_and_audited():
    unit = UnitFactory(code="CPI")
    client = register("crm", [unit], ["casefiles:read"])
    token = token_for(client)
    stored = AccessToken.objects.get(application=client.application)
    assert stored.token == ""  # only its checksum is stored
    assert stored.expires - timezone.now() <= datetime.timedelta(seconds=300)
    assert stored.scope == "casefiles:read"
    assert api(token).get("/api/v1/case-files/").status_code == 200
    assert AuditEvent.objects.filter(action="api.token_issued", capacity="api_client").exists()
    # A scope the client was not registered with is refused.
    credentials = base64.b64encode(f"{client.application.client_id}:{SECRETS[client.pk]}".encode()).decode()
    response = Client().post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials", "scope": "casefiles:write"},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
    # A wrong secret gets nothing.
    wrong = base64.b64encode(f"{client.application.client_id}:nope".encode()).decode()
    response = Client().post(
        "/api/v1/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {wrong}"
    )
    assert response.status_code == 401
    # An expired token, or one of a deactivated client, is refused.
    AccessToken.objects.filter(pk=stored.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    response = api(token).get("/api/v1/case-files/")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    fresh = token_for(client)
    services.deactivate_client(actor=administrator(UnitFactory(code="SECM")), client=client)
    assert api(fresh).get("/api/v1/case-files/").status_code == 401


@pytest.mark.django_db
def test_a_post_needs_an_idempotency_key_and_a_retry_gets_the_first_answer():
    unit = UnitFactory(code="CPI")
    http = api(token_for(register("crm", [unit], ["casefiles:write"])))
    response = http.post("/api/v1/case-files/", NEW_CASE_FILE, content_type="application/json")
    assert response.status_code == 400 and response.json()["type"].endswith("idempotency_key_required")
    first = http.post("/api/v1/case-files/", NEW_CASE_FILE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    again = http.post("/api/v1/case-files/", NEW_CASE_FILE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert CaseFile.objects.filter(reference="CPI/2026/0500").count() == 1
    other = {**NEW_CASE_FILE, "reference": "CPI/2026/0501"}
    conflict = http.post("/api/v1/case-files/", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    assert conflict.status_code == 409
    # A refused request frees its key: the corrected request may use it.
    bad = {**NEW_CASE_FILE, "reference": "WRONG/1", "subject": ""}
    assert http.post("/api/v1/case-files/", bad, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b").status_code
    assert (
        http.post("/api/v1/case-files/", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b").status_code
        == 201
    )


@pytest.mark.django_db
def test_etags_answer_304_and_refuse_a_lost_update():
    unit = UnitFactory(code="CPI")
    http = api(token_for(register("crm", [unit], ["casefiles:read", "casefiles:write"])))
    created = http.post(
        "/api/v1/case-files/", NEW_CASE_FILE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="c"
    ).json()
    url = f"/api/v1/case-files/{created['id']}/"
    read = http.get(url)
    etag = read["ETag"]
    assert http.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    changed = http.patch(url, {"subject": "Un"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = http.patch(url, {"subject": "Deux"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["status"] == 412
    assert CaseFile.objects.get(pk=created["id"]).subject == "Un"
    event = AuditEvent.objects.filter(action="casefile.updated").last()
    assert event.capacity == "api_client" and event.actor_label == "api:crm"


@pytest.mark.django_db
def test_problems_are_translated_and_invalid_fields_listed():
    unit = UnitFactory(code="CPI")
    http = api(token_for(register("crm", [unit], ["casefiles:write"])))
    response = http.post(
        "/api/v1/case-files/",
        {**NEW_CASE_FILE, "kind": "nonsense"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="d",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    body = response.json()
    assert response.status_code == 400 and body["status"] == 400 and "kind" in body["errors"]
    assert body["title"] == "Ongeldige aanvraag"
    # The service's own rule (the reference starts with the unit's code) is a 422.
    response = http.post(
        "/api/v1/case-files/",
        {**NEW_CASE_FILE, "reference": "XYZ/2026/1"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="e",
    )
    assert response.status_code == 422 and response.json()["errors"]


@pytest.mark.django_db
@override_settings(API_CLIENT_RATE="3/m")
def test_each_client_has_its_own_rate():
    from django.core.cache import cache

    cache.clear()
    unit = UnitFactory(code="CPI")
    busy = api(token_for(register("busy", [unit], ["casefiles:read"])))
    quiet = api(token_for(register("quiet", [unit], ["casefiles:read"])))
    statuses = [busy.get("/api/v1/case-files/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert quiet.get("/api/v1/case-files/").status_code == 200


@pytest.mark.django_db
def test_downloads_go_through_the_download_path_and_are_evidence_naming_the_client():
    world = api_world()
    response = world.http.get(f"/api/v1/documents/{world.public.pk}/content/")
    assert response.status_code == 200 and response["ETag"] and response["Content-Security-Policy"] == "sandbox"
    b"".join(response.streaming_content)
    event = EvidenceEvent.objects.filter(event="downloaded").last()
    assert event.actor_label == "api:unit-all"
    # A document the client's unit keeps confidential is still the unit's: staff see it; another unit's is 404.
    assert world.http.get(f"/api/v1/documents/{world.other_document.pk}/content/").status_code == 404


@pytest.mark.django_db
def test_the_feed_misses_nothing_and_repeats_nothing_and_waits_at_a_young_gap():
    from django.core.cache import cache

    cache.clear()
    world = api_world()
    seen, after = [], 0
    # Ids taken by other tests' rolled-back transactions are gaps too: here they are known to be final.
    with override_settings(API_FEED_HORIZON_SECONDS=0):
        while True:
            body = world.http.get(f"/api/v1/evidence/?after={after}&limit=2").json()
            seen += [event["position"] for event in body["events"]]
            if body["next_after"] == after:
                break
            after = body["next_after"]
    mine = {str(message.pk) for message in world.messages} | {str(world.deposit.pk)}
    expected = list(
        EvidenceEvent.objects.filter(subject_id__in=mine, subject_type__in=["mailbox.message", "deposits.deposit"])
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert seen == expected and len(seen) == len(set(seen)) and seen
    # A gap (an id taken by a transaction not yet committed) holds the feed until it is older than the horizon.
    message = world.messages[0]
    last = EvidenceEvent.objects.order_by("-id").first()
    EvidenceEvent.objects.create(
        id=last.id + 2,
        event="opened",
        occurred_at=timezone.now(),
        subject_type="mailbox.message",
        subject_id=str(message.pk),
    )
    body = world.http.get(f"/api/v1/evidence/?after={after}").json()
    assert body["events"] == [] and body["next_after"] == last.id
    with override_settings(API_FEED_HORIZON_SECONDS=0):
        body = world.http.get(f"/api/v1/evidence/?after={after}").json()
    assert [event["position"] for event in body["events"]] == [last.id + 2]


@pytest.mark.django_db
def test_the_command_registers_a_client_in_an_administrators_name():
    import io

    from django.core.management import call_command

    unit = UnitFactory(code="CPI")
    admin = administrator(unit)
    out = io.StringIO()
    call_command("register_api_client", "crm", unit=["CPI"], scope=["casefiles:read"], by=admin.username, stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    credentials = base64.b64encode(f"{values['client_id']}:{values['client_secret']}".encode()).decode()
    response = Client().post(
        "/api/v1/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert response.status_code == 200 and response.json()["scope"] == "casefiles:read"


@pytest.mark.django_db
def test_a_client_may_authenticate_with_a_signed_assertion_instead_of_its_secret():
    import time
    import uuid

    from joserfc import jwt
    from joserfc.jwk import RSAKey

    from eservices.api.validators import JWT_BEARER, token_endpoint_url

    unit = UnitFactory(code="CPI")
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    client, _secret = services.register_client(
        actor=administrator(unit),
        name="court",
        units=[unit],
        scopes=["casefiles:read"],
        jwks={"keys": [key.as_dict(private=False)]},
    )
    client_id = client.application.client_id

    def assertion(**claims):
        now = int(time.time())
        values = {"iss": client_id, "sub": client_id, "aud": token_endpoint_url(), "iat": now, "exp": now + 60}
        values["jti"] = uuid.uuid4().hex
        return jwt.encode({"alg": "RS256", "kid": "k1"}, {**values, **claims}, key)

    def ask(signed):
        return Client().post(
            "/api/v1/oauth/token/",
            {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER, "client_assertion": signed},
        )

    good = assertion()
    response = ask(good)
    assert response.status_code == 200, response.content
    assert api(response.json()["access_token"]).get("/api/v1/case-files/").status_code == 200
    assert ask(good).status_code == 401  # each assertion once
    assert ask(assertion(aud="https://elsewhere.example/token")).status_code == 401
    assert ask(assertion(exp=int(time.time()) + 3600)).status_code == 401  # too long-lived
    other_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    forged = jwt.encode(
        {"alg": "RS256", "kid": "k1"},
        {"iss": client_id, "sub": client_id, "aud": token_endpoint_url(), "exp": int(time.time()) + 60, "jti": "x"},
        other_key,
    )
    assert ask(forged).status_code == 401
    with pytest.raises(services.ValidationError):
        services.register_client(
            actor=administrator(unit), name="leaky", units=[unit], scopes=[], jwks={"keys": [key.as_dict(private=True)]}
        )
