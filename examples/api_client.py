"""A client of the SECM eServices API, as the Service's case-management system would write it (docs/api.md).

It gets a token (OAuth2 client credentials), opens a case file, adds a document (through the portal's intake
pipeline), downloads it back and checks its SHA-256, then follows the evidence feed until the download's
evidence appears: the feed misses nothing, so the event is there once its transaction is final.

    python examples/api_client.py --base-url http://127.0.0.1:8000 --client-id ID --client-secret SECRET \
        --unit SECM --file decision.pdf

Needs only httpx. Exits 0 when every step worked.
"""

import argparse
import datetime
import hashlib
import pathlib
import sys
import time
import uuid
import zoneinfo

import httpx

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def token(http: httpx.Client, client_id: str, secret: str) -> str:
    """A bearer token, by HTTP Basic with the client's id and secret."""
    response = http.post("/api/v1/oauth/token/", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    response.raise_for_status()
    return response.json()["access_token"]


def post(http: httpx.Client, path: str, **kwargs) -> dict:
    """A POST with a fresh idempotency key; a problem details answer is printed and raised."""
    response = http.post(path, headers={"Idempotency-Key": uuid.uuid4().hex}, **kwargs)
    if response.is_error:
        print(response.json(), file=sys.stderr)
        response.raise_for_status()
    return response.json()


def follow_feed(http: httpx.Client, until, *, timeout: float = 60) -> dict:
    """Poll the evidence feed from the start until an event satisfies ``until``."""
    after, deadline = 0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = http.get("/api/v1/evidence/", params={"after": after, "limit": 200}).raise_for_status().json()
        for event in page["events"]:
            if until(event):
                return event
        if page["next_after"] == after:
            time.sleep(1)  # nothing new yet (or the feed waits for a transaction to settle)
        after = page["next_after"]
    raise TimeoutError("the awaited evidence did not appear")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--unit", required=True, help="a unit code of the client")
    parser.add_argument("--file", required=True, type=pathlib.Path, help="a PDF to add as a document")
    args = parser.parse_args(argv)

    with httpx.Client(base_url=args.base_url, timeout=30) as http:
        http.headers["Authorization"] = f"Bearer {token(http, args.client_id, args.client_secret)}"
        today = datetime.datetime.now(BRUSSELS).date()
        reference = f"{args.unit}/{today:%Y}/{uuid.uuid4().int % 1_000_000:06d}"
        case_file = post(
            http,
            "/api/v1/case-files/",
            json={
                "unit": args.unit,
                "reference": reference,
                "kind": "investigation",
                "subject": "Created by the example client",
                "language": "fr",
                "opened_on": today.isoformat(),
            },
        )
        print(f"case file {case_file['reference']} (id {case_file['id']})")
        content = args.file.read_bytes()
        document = post(
            http,
            f"/api/v1/case-files/{case_file['id']}/documents/",
            data={"title": "Decision", "kind": "decision", "document_date": today.isoformat()},
            files={"file": (args.file.name, content, "application/pdf")},
        )
        print(f"document {document['id']} ({document['media_type']}, {document['size']} bytes)")
        downloaded = http.get(f"/api/v1/documents/{document['id']}/content/").raise_for_status().content
        assert hashlib.sha256(downloaded).hexdigest() == document["sha256"] == hashlib.sha256(content).hexdigest()
        print("downloaded, same SHA-256")
        event = follow_feed(
            http,
            lambda event: (
                event["event"] == "downloaded"
                and event["subject_type"] == "casefiles.document"
                and event["subject_id"] == str(document["id"])
            ),
        )
        print(f"evidence at position {event['position']}: {event['event']} by {event['actor_label']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
