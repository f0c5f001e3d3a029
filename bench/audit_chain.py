"""How fast the audit trail appends (alone and from concurrent connections) and verifies.

Run on a database of its own (it migrates it and appends to its trail), e.g.:
    SECM_DATA_DIR=$(mktemp -d) .venv/bin/python bench/audit_chain.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secm_bench .venv/bin/python bench/audit_chain.py
"""

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from eservices.audit.models import AuditEvent  # noqa: E402
from eservices.audit.services import record, verify_chain  # noqa: E402

APPENDS = int(os.environ.get("BENCH_APPENDS", "3000"))
THREADS = 4


def append(count, worker=0):
    for n in range(count):
        record("bench.append", details={"worker": worker, "n": n, "filename": "rapport d'enquête.pdf"})


def main():
    call_command("migrate", verbosity=0)
    before = AuditEvent.objects.count()
    started = time.perf_counter()
    append(APPENDS)
    alone = time.perf_counter() - started
    print(f"{connection.vendor}: {APPENDS} appends, one connection, one commit each: {APPENDS / alone:.0f}/s")

    started = time.perf_counter()
    for _ in range(APPENDS // 100):
        with transaction.atomic():
            append(100)
    batched = time.perf_counter() - started
    print(f"{connection.vendor}: {APPENDS} appends, one connection, 100 per commit: {APPENDS / batched:.0f}/s")

    threads = [
        threading.Thread(target=lambda w=w: (append(APPENDS // THREADS, w), connections.close_all()))
        for w in range(THREADS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    together = time.perf_counter() - started
    total = APPENDS // THREADS * THREADS
    print(
        f"{connection.vendor}: {total} appends, {THREADS} connections at once, one commit each: "
        f"{total / together:.0f}/s"
    )

    started = time.perf_counter()
    report = verify_chain()
    checked = time.perf_counter() - started
    assert report.intact, report.first_break
    print(f"{connection.vendor}: verify {report.entries} entries: {checked:.2f} s ({report.entries / checked:.0f}/s)")
    print(f"{connection.vendor}: entries before this run: {before}")


if __name__ == "__main__":
    main()
