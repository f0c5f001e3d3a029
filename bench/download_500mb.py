"""Bench: a 500 MB document downloaded alone and inside the on-the-fly ZIP, with the server's memory.

Run: .venv/bin/python bench/download_500mb.py [size in MB]
Starts the portal in a separate process (Django's development server, one process, no autoreload) on a free
port, logs a person in, downloads over HTTP in 64 KiB reads and drops the bytes (as a browser writing to disk
would), and reads the server's resident memory from /proc: before, and its high-water mark (VmHWM) after.
"""

import datetime
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import setup

data_dir = setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from eservices.access.models import AccessGrant  # noqa: E402
from eservices.casefiles.models import CaseFile, Document  # noqa: E402
from eservices.identity.models import Capacity, User  # noqa: E402
from eservices.units.models import Unit  # noqa: E402

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


def build(size_mb):
    unit = Unit.objects.create(code="BENCH", kind=Unit.Kind.REGISTRY, name_fr="Banc d'essai", name_nl="Testbank")
    case_file = CaseFile.objects.create(
        unit=unit,
        reference="BENCH/1",
        kind="appeal",
        subject="Gros dossier",
        language="fr",
        opened_on=datetime.date(2026, 1, 1),
    )
    person = User.objects.create(username="bench.person")
    AccessGrant.objects.create(user=person, case_file=case_file, capacity=Capacity.CONCERNED_PERSON)
    path = data_dir / "documents" / "documents" / "bench-big"
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    block = bytes(range(256)) * 4096  # 1 MB
    with open(path, "wb") as big:
        for _ in range(size_mb):
            big.write(block)
            digest.update(block)
    document = Document.objects.create(
        case_file=case_file,
        title="Très gros document",
        kind="exhibit",
        document_date=datetime.date(2026, 1, 1),
        author_unit=unit,
        file="documents/bench-big",
        original_filename="gros.pdf",
        media_type="application/pdf",
        size=size_mb * MB,
        sha256=digest.hexdigest(),
    )
    client = Client()
    client.force_login(person)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, case_file, document


def memory_mb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port):
    server = subprocess.Popen(  # noqa: S603 - our own manage.py with the venv's Python
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310 - local
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def download(url, session):
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})  # noqa: S310
    start = time.perf_counter()
    received = 0
    with urllib.request.urlopen(request) as response:  # noqa: S310 - local server
        while chunk := response.read(64 * 1024):
            received += len(chunk)
    return received, time.perf_counter() - start


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    session, case_file, document = build(size_mb)
    port = free_port()
    server = start_server(port)
    try:
        base = f"http://127.0.0.1:{port}/fr"
        download(f"{base}/case-files/", session)  # warm up: imports, templates, connection
        print(f"document of {size_mb} MB; Python {sys.version.split()[0]}; server pid {server.pid}")
        print("| download | bytes | seconds | MB/s | server RSS before (MB) | server peak RSS after (MB) |")
        print("|---|---|---|---|---|---|")
        for name, path in (
            ("one document", f"/documents/{document.pk}/download"),
            ("ZIP of the case file", f"/case-files/{case_file.pk}/documents.zip"),
        ):
            before = memory_mb(server.pid, "VmRSS")
            received, elapsed = download(base + path, session)
            peak = memory_mb(server.pid, "VmHWM")
            print(
                f"| {name} | {received:,} | {elapsed:.2f} | {received / MB / elapsed:.0f} | {before:.0f} | {peak:.0f} |"
            )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
