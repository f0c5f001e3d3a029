"""How fast the intake refuses a zip bomb disguised as XLSX (security requirement R22: under 50 ms).

    .venv/bin/python bench/intake_zipbomb.py [--runs 20]

The corpus's zip-bomb.xlsx (200 KiB inflating to 200 MiB) goes through ``intake.services.receive`` (spool,
libmagic, ZIP pre-checks, refusal row and audit event) on a temporary SQLite database; the script prints the
median and worst time of the runs. Results: docs/benchmarks.md.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="intake-zipbomb-"))
    try:
        os.environ.update(SECM_PROFILE="test", SECM_DATA_DIR=str(work / "data"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from eservices.intake import services
        from eservices.intake.tests.corpus import zip_bomb_xlsx

        call_command("migrate", verbosity=0)
        bomb = zip_bomb_xlsx(work / "bomb.xlsx")
        timings = []
        for _ in range(args.runs + 1):  # the first run warms up imports and the database
            with open(bomb, "rb") as file:
                started = time.perf_counter()
                result = services.receive(file, policy="deposit", original_name="bomb.xlsx")
                timings.append((time.perf_counter() - started) * 1000)
            assert result.code == "unsafe_container", result.code
        timings = timings[1:]
        print(f"zip bomb: {bomb.stat().st_size / 1024:.0f} KiB on disk, refused as {result.code}")
        print(f"{args.runs} runs: median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
