"""Bench: a 500 MB document downloaded alone and inside the on-the-fly ZIP, with the server's memory.

Run: .venv/bin/python bench/download_500mb.py [size in MB]
The download goes through the whole Django stack (middleware, access check, evidence, streaming response) in
this process; the client reads the stream chunk by chunk and drops it, as a browser writing to disk would.
Reports time, throughput, the peak of Python allocations during the download (tracemalloc) and the process's
resident memory before and after (the high-water mark, ru_maxrss).
"""

import datetime
import hashlib
import resource
import sys
import time
import tracemalloc

from _setup import setup

data_dir = setup()

from django.test import Client  # noqa: E402

from eservices.access.models import AccessGrant  # noqa: E402
from eservices.casefiles.models import CaseFile, Document  # noqa: E402
from eservices.identity.models import Capacity, User  # noqa: E402
from eservices.units.models import Unit  # noqa: E402

MB = 1024 * 1024


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    return person, case_file, document


def download(client, path):
    rss_before = rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(path)
    received = 0
    for chunk in response.streaming_content:
        received += len(chunk)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return received, elapsed, peak / MB, rss_before, rss_mb()


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    person, case_file, document = build(size_mb)
    client = Client()
    client.force_login(person)
    print(f"document of {size_mb} MB; Python {sys.version.split()[0]}")
    print("| download | bytes | seconds | MB/s | peak Python allocations (MB) | RSS before → after (MB) |")
    print("|---|---|---|---|---|---|")
    for name, path in (
        ("one document", f"/fr/documents/{document.pk}/download"),
        ("ZIP of the case file", f"/fr/case-files/{case_file.pk}/documents.zip"),
    ):
        received, elapsed, peak, before, after = download(client, path)
        print(
            f"| {name} | {received:,} | {elapsed:.2f} | {received / MB / elapsed:.0f} | {peak:.1f} "
            f"| {before:.0f} → {after:.0f} |"
        )


if __name__ == "__main__":
    main()
