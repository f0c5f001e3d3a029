"""The example client (examples/api_client.py) against a live server: token, case file, document through the
intake pipeline, download, and the evidence feed followed until the download's evidence appears."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from eservices.demo.files import make_pdf
from eservices.units.tests.factories import UnitFactory

from .clients import SECRETS, register

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db(transaction=True)
@override_settings(API_FEED_HORIZON_SECONDS=1)
def test_the_example_client_runs_against_a_live_server(live_server, tmp_path):
    unit = UnitFactory(code="SECM")
    client = register("example", [unit], ["casefiles:write", "documents:read", "documents:write", "evidence:read"])
    pdf = tmp_path / "decision.pdf"
    pdf.write_bytes(make_pdf("Décision"))
    result = subprocess.run(  # noqa: S603 - our own script, with the test's interpreter
        [
            sys.executable,
            str(ROOT / "examples" / "api_client.py"),
            "--base-url",
            live_server.url,
            "--client-id",
            client.application.client_id,
            "--client-secret",
            SECRETS[client.pk],
            "--unit",
            "SECM",
            "--file",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "evidence at position" in result.stdout and "by api:example" in result.stdout
