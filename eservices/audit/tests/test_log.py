"""Audit events also go out as JSON lines; a CR, LF or ANSI payload cannot forge a line."""

import base64
import io
import json
import logging

import pytest

from eservices.audit.services import record
from eservices.core.logs import JsonFormatter
from eservices.identity.tests.factories import UserFactory

PAYLOAD = 'report.pdf\r\n{"action":"login.succeeded","actor":"admin"}\n\x1b[2K\x1b[1A\u2028forged'


@pytest.fixture
def audit_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("eservices.audit")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # as in production
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.django_db
def test_event_is_logged_as_one_json_line_after_commit(audit_log, django_capture_on_commit_callbacks):
    user = UserFactory(first_name="Eve\r\nINFO", last_name="\x1b[31mRed")
    with django_capture_on_commit_callbacks(execute=True):
        event = record("document.downloaded", actor=user, capacity="lawyer", details={"filename": PAYLOAD})
    output = audit_log.getvalue()
    assert output.count("\n") == 1 and output.endswith("\n")
    assert "\r" not in output and "\x1b" not in output and "\u2028" not in output
    line = json.loads(output)
    assert line["logger"] == "eservices.audit"
    assert line["time"].endswith("+00:00")
    logged = line["event"]
    assert logged["details"]["filename"] == PAYLOAD
    assert logged["actor"] == "Eve\r\nINFO \x1b[31mRed"
    assert logged["sequence"] == event.sequence and logged["entry_hash"] == event.entry_hash
    assert logged["occurred_at"].endswith("Z")
    assert (logged["action"], logged["capacity"]) == ("document.downloaded", "lawyer")


@pytest.mark.django_db
def test_nothing_is_logged_when_the_transaction_rolls_back(audit_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record("test.rolled_back")
    assert len(callbacks) == 1 and audit_log.getvalue() == ""


@pytest.mark.django_db
def test_checkpoints_are_logged_for_the_separate_store(audit_log, django_capture_on_commit_callbacks):
    from eservices.audit.services import checkpoint

    record("test.before_checkpoint")
    with django_capture_on_commit_callbacks(execute=True):
        saved = checkpoint()
    logged = json.loads(audit_log.getvalue().splitlines()[-1])["event"]
    assert logged == {
        "checkpoint": saved.pk,
        "sequence": 1,
        "entry_hash": saved.entry_hash,
        "digest": saved.digest,
        "created_at": logged["created_at"],
        "timestamp_token": base64.b64encode(bytes(saved.timestamp_token)).decode("ascii"),
    }
