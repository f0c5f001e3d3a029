"""Runs the real development identity provider (devidp/server.js under node) for tests, on a free port."""

import json
import select
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import require_service

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def running_devidp(folder: Path, clients: list[dict], accounts: list[dict]):
    """Starts the provider with these client registrations and identities; yields its issuer URL."""
    server = ROOT / "devidp" / "server.js"
    if not shutil.which("node") or not (ROOT / "devidp" / "node_modules" / "oidc-provider").is_dir():
        require_service("node and devidp/node_modules (make install)")
    (folder / "config.json").write_text(json.dumps({"port": 0, "clients": clients, "accounts": accounts}))
    with (folder / "devidp.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server script
            ["node", str(server), str(folder / "config.json")],  # noqa: S607
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            line = process.stdout.readline() if ready else ""
            if not line.startswith("devidp listening on "):
                pytest.fail(f"devidp did not start: {line!r} {(folder / 'devidp.log').read_text()}")
            yield line.split()[-1]
        finally:
            process.terminate()
            process.wait(timeout=10)


def account(account_id: str, first: str, last: str, nrn: str | None, levels: list[str]) -> dict:
    """One identity of the provider, with the claims the federal service gives."""
    claims = {"givenName": first, "surname": last, "mail": f"{account_id}@example.org", "prefLanguage": "nl"}
    if nrn:
        claims["egovNRN"] = nrn
    return {"id": account_id, "label": f"{first} {last}", "kind": "test", "levels": levels, "claims": claims}
