"""What a PDF of many tiny objects costs the intake and the public verification page, bounded and unbounded.

    .venv/bin/python bench/intake_exhaustion.py [--objects 500000] [--skip-unbounded]

Files (written by the test corpus's ``write_many_objects_pdf``: tiny objects packed in compressed object
streams, the shape of the issue's file):

- the issue's file (``--objects``, 500,000 by default, 4.4 MB);
- the worst file the object bound lets through (INTAKE_PDF_MAX_OBJECTS objects) and one object more;
- the most objects that fit under the verification page's receipt cap (VERIFY_MAX_RECEIPT_KB).

For each: the structural parse is run once in a child forked for the measure, under the same limits as the
sandbox (``os.wait4`` gives its CPU time and peak resident memory, and whether a limit killed it), and once
through the real path, timed end to end (``intake.services.receive`` for uploads, ``evidence.services.
verify_receipt`` for the verification page): the time to the verdict. ``--skip-unbounded`` leaves out the run
without limits (the cost the issue measured). Results: docs/benchmarks.md and docs/intake.md.
"""

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import setup  # noqa: E402


def measured_child(function, *, cpu_seconds, memory_bytes):
    """Run ``function()`` in a forked child under the sandbox's limits: its CPU time, the growth of its resident
    memory (peak from ``wait4`` minus what it had at the fork, sent through a pipe) and its outcome."""
    from eservices.core import sandbox

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        os.write(writer, str(resident_mib()).encode())
        os.close(writer)
        code = 0
        try:
            if cpu_seconds:
                sandbox._limit(cpu_seconds, memory_bytes)
            function()
        except MemoryError:
            code = 3
        except Exception as error:  # noqa: BLE001 - the verdict is what we report
            code = 2 if hasattr(error, "code") else 4
        os._exit(code)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        start = float(pipe.read())
    _pid, status, usage = os.wait4(pid, 0)
    if os.WIFSIGNALED(status):
        outcome = f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        outcome = {0: "accepted", 2: "refused", 3: "MemoryError", 4: "failed"}[os.WEXITSTATUS(status)]
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024 - start, outcome


def receive(path):
    from eservices.intake import services

    with open(path, "rb") as file:
        started = time.perf_counter()
        result = services.receive(file, policy="deposit", original_name=path.name)
        return time.perf_counter() - started, result.code or "accepted"


def verify(path):
    from eservices.evidence.services import verify_receipt

    started = time.perf_counter()
    result = verify_receipt(path.read_bytes())
    return time.perf_counter() - started, "; ".join(check.message for check in result.checks)[:90]


def row(label, path, parse, real, *, limits, override=None):
    """One line of the table: the measured child, then the real path (``override``: ``(object, attribute,
    value)`` set during the real path, to lift a bound there too)."""
    cpu, growth, outcome = measured_child(parse, **limits)
    target, attribute, value = override or (None, "", None)
    saved = getattr(target, attribute, None)
    if target is not None:
        setattr(target, attribute, value)
    try:
        seconds, verdict = real(path)
    finally:
        if target is not None:
            setattr(target, attribute, saved)
    size = path.stat().st_size / 1e6
    print(f"| {label} | {size:.1f} MB | {cpu:.2f} s | +{growth:.0f} MiB | {outcome} | {seconds:.2f} s | {verdict} |")  # noqa: T201


def resident_mib():
    """This process's resident memory now: what a forked child starts with (its peak includes it)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=500_000)
    parser.add_argument("--skip-unbounded", action="store_true")
    args = parser.parse_args()
    setup()
    from django.conf import settings

    from eservices.evidence import receipts, services
    from eservices.intake import pdf
    from eservices.intake.tests.corpus import write_many_objects_pdf

    work = Path(tempfile.mkdtemp(prefix="intake-exhaustion-"))
    limits = {"cpu_seconds": settings.INTAKE_PARSE_CPU_SECONDS, "memory_bytes": settings.INTAKE_PARSE_MEMORY_BYTES}
    bound = settings.INTAKE_PDF_MAX_OBJECTS
    files = {
        "issue": write_many_objects_pdf(work / "issue.pdf", args.objects),
        # the object streams and the xref stream count too
        "at the bound": write_many_objects_pdf(work / "at-bound.pdf", bound - bound // 1000 - 10),
        "one over": write_many_objects_pdf(work / "over-bound.pdf", bound + 1),
    }
    per_object = files["issue"].stat().st_size / args.objects
    fit = int(settings.VERIFY_MAX_RECEIPT_BYTES / per_object * 0.97)
    files["receipt cap"] = write_many_objects_pdf(work / "receipt-cap.pdf", fit)

    def intake_parse(path, max_objects=bound):
        return lambda: pdf.check(path, max_objects=max_objects, max_pages=settings.INTAKE_PDF_MAX_PAGES)

    def receipt_parse(path, max_objects=receipts.MAX_OBJECTS):
        data = path.read_bytes()
        return lambda: services.read_receipt(data, max_objects=max_objects, max_pages=receipts.MAX_PAGES)

    started = time.perf_counter()
    receive(write_many_objects_pdf(work / "warm-up.pdf", 10))  # starts the fork server (Django set up once)
    print(f"fork server started in {time.perf_counter() - started:.1f} s; load {os.getloadavg()[0]:.1f}")  # noqa: T201
    print(f"limits: {limits['cpu_seconds']} s CPU, {limits['memory_bytes'] >> 20} MiB; objects {bound}")  # noqa: T201
    print("| file | size | child CPU | child peak RSS growth | child outcome | time to verdict | verdict |")  # noqa: T201
    print("|---|---|---|---|---|---|---|")  # noqa: T201
    for label in ("issue", "at the bound", "one over"):
        row(f"upload: {label}", files[label], intake_parse(files[label]), receive, limits=limits)
    row(
        "upload: issue, no object bound",
        files["issue"],
        intake_parse(files["issue"], 10**9),
        receive,
        limits=limits,
        override=(settings, "INTAKE_PDF_MAX_OBJECTS", 10**9),
    )
    row("verification: issue", files["issue"], receipt_parse(files["issue"]), verify, limits=limits)
    row("verification: at the cap", files["receipt cap"], receipt_parse(files["receipt cap"]), verify, limits=limits)
    row(
        "verification: at the cap, no object bound",
        files["receipt cap"],
        receipt_parse(files["receipt cap"], 10**9),
        verify,
        limits=limits,
        override=(receipts, "MAX_OBJECTS", 10**9),
    )
    if not args.skip_unbounded:
        for label, parse in (
            ("upload: issue, no bound, no limit", intake_parse(files["issue"], 10**9)),
            ("verification: cap, no bound, no limit", receipt_parse(files["receipt cap"], 10**9)),
        ):
            cpu, growth, outcome = measured_child(parse, cpu_seconds=0, memory_bytes=0)
            print(f"| {label} | | {cpu:.2f} s | +{growth:.0f} MiB | {outcome} | | |")  # noqa: T201


if __name__ == "__main__":
    main()
