"""How fast the audit trail takes entries, how soon the sequencer seals them, and how fast it verifies.

Run on a database of its own (it migrates it and appends to its trail), e.g.:
    SECM_DATA_DIR=$(mktemp -d) .venv/bin/python bench/audit_chain.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secm_bench .venv/bin/python bench/audit_chain.py

Measured, in one run:
- inline sealing (the embedded default: each record() takes the chain's lock and seals), one connection;
- sequencer mode: WRITERS processes (each its own connection, one commit per event, as requests do) insert for
  SECONDS while one sequencer process seals every AUDIT_SEAL_INTERVAL; events/s committed, and the sealing lag
  (sealed_at - occurred_at: median, p99, max) over every entry.
"""

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WRITERS = int(os.environ.get("BENCH_WRITERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
INLINE = int(os.environ.get("BENCH_INLINE", "2000"))


def _django(mode):
    os.environ["AUDIT_SEALING"] = mode
    import django
    from django.conf import settings

    django.setup()
    settings.AUDIT_SEALING = mode  # a forked child inherits the parent's settings


def writer(worker, until, counter, per_commit=1):
    _django("sequencer")
    from django.db import connection, transaction

    from eservices.audit.services import record

    count = 0
    while time.time() < until:
        with transaction.atomic():
            for _ in range(per_commit):
                record("bench.append", details={"worker": worker, "n": count, "filename": "rapport d'enquête.pdf"})
                count += 1
    connection.close()
    with counter.get_lock():
        counter.value += count


def floor_writer(worker, until, counter):
    """The floor: the same concurrency inserting a row of the same size with a commit each, no Django, no hash."""
    _django("sequencer")
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        while time.time() < until:
            cursor.execute("INSERT INTO bench_floor (worker, payload) VALUES (%s, %s)", [worker, "x" * 400])
            count += 1
    connection.close()
    with counter.get_lock():
        counter.value += count


def run_processes(target, seconds, *, sealing, **kwargs):
    """Run WRITERS processes of ``target`` for ``seconds`` (and a sequencer if ``sealing``); events written."""
    counter, sealed = multiprocessing.Value("l", 0), multiprocessing.Value("l", 0)
    until = time.time() + seconds
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=target, args=(w, until, counter), kwargs=kwargs) for w in range(WRITERS)]
    if sealing:
        processes.append(context.Process(target=sealer, args=(until + 2, sealed)))
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return counter.value


def sealer(until, sealed):
    _django("sequencer")
    import threading

    from django.db import connection

    from eservices.audit import sequencer

    stop = threading.Event()
    threading.Timer(max(0.0, until - time.time()), stop.set).start()
    sequencer.run("bench", stop)
    with sealed.get_lock():
        sealed.value = 1
    connection.close()


def main():
    _django("inline")
    from django.core.management import call_command
    from django.db import connection, transaction

    from eservices.audit.models import AuditEvent
    from eservices.audit.services import record, seal_pending, verify_chain

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"{vendor}: load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    seal_pending(limit=None)
    started = time.perf_counter()
    for n in range(INLINE):
        with transaction.atomic():
            record("bench.inline", details={"n": n, "filename": "rapport d'enquête.pdf"})
    alone = time.perf_counter() - started
    print(f"{vendor}: inline sealing, {INLINE} events, one connection, one commit each: {INLINE / alone:.0f}/s")
    connection.close()

    first_id = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, worker int, payload text)"
            )
    connection.close()  # the children open their own
    floor = run_processes(floor_writer, SECONDS, sealing=False)
    print(f"{vendor}: floor, {WRITERS} processes, plain INSERT + commit each: {floor / SECONDS:.0f}/s")
    first_id = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    connection.close()
    total = run_processes(writer, SECONDS, sealing=True)
    print(
        f"{vendor}: sequencer mode, {WRITERS} writer processes, one commit per event, {SECONDS:.0f} s: "
        f"{total} events, {total / SECONDS:.0f}/s = {total / max(floor, 1):.0%} of the floor "
        f"(load average after: {os.getloadavg()[0]:.2f})"
    )
    batched = run_processes(writer, SECONDS, sealing=True, per_commit=100)
    print(
        f"{vendor}: sequencer mode, {WRITERS} writer processes, 100 events per commit: {batched / SECONDS:.0f}/s "
        "(the CPU cost of record() itself, commits apart)"
    )
    seal_pending(limit=None)
    lags = sorted(
        (sealed_at - occurred_at).total_seconds()
        for occurred_at, sealed_at in AuditEvent.objects.filter(id__gte=first_id).values_list(
            "occurred_at", "sealed_at"
        )
    )
    if lags:  # over the one-commit-per-event run and the batched one
        p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
        within = sum(1 for lag in lags if lag <= 1.0) / len(lags)
        print(
            f"{vendor}: sealing lag over {len(lags)} entries: median {statistics.median(lags) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms; {within:.1%} sealed within 1 s"
        )

    started = time.perf_counter()
    report = verify_chain()
    checked = time.perf_counter() - started
    assert report.intact, report.first_break
    assert report.unsealed == 0, report
    print(f"{vendor}: verify {report.entries} entries: {checked:.2f} s ({report.entries / checked:.0f}/s)")


if __name__ == "__main__":
    main()
