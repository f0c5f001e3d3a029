#!/usr/bin/env python
"""Bench: the first page and the unread count of a mailbox of 100,000 messages.

    .venv/bin/python bench/mailbox_list.py [--messages 100000] [--runs 20] [--database-url postgres://.../scratch]

Without --database-url a new SQLite database in a temporary folder is used; a PostgreSQL database given there is
migrated and filled: give a scratch one. Prints the median and 95th percentile of each request, and its queries.
Results are written down in docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="secm-bench-")
    os.environ["SECM_DATA_DIR"] = data_dir
    os.environ["SECM_PROFILE"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if options.database_url:
        os.environ["DATABASE_URL"] = options.database_url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from eservices.mailbox import services
    from eservices.mailbox.bench_data import fill_mailbox
    from eservices.mailbox.tests.factories import case_with_parties, send

    case_file, clerk, person, _lawyer, document = case_with_parties()
    box = services.mailbox_of_user(person)
    (message,) = send(clerk, case_file, [box], documents=[document], time_limit_months=1)
    started = time.perf_counter()
    fill_mailbox(box, template=message, count=options.messages - 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    print(f"database: {connection.vendor}; filled {options.messages} messages in {time.perf_counter() - started:.1f} s")

    from conftest import log_in  # the session markers of a real login (a bare force_login is sent to log in)

    client = Client()
    log_in(client, person)
    # Pages after the first are read by cursor (keyset pagination): the 2nd page of a search, and the 200th page.
    from eservices.mailbox import queries as mailbox_queries

    second = mailbox_queries.keyset_page(mailbox_queries.messages_in(box, search="Décision 99")).older
    cursor = ""
    for _ in range(199):
        cursor = mailbox_queries.keyset_page(mailbox_queries.messages_in(box), before=cursor).older
    cases = {
        "first page + unread count": {},
        "search in subjects, page 2": {"q": "Décision 99", "before": second},
        "page 200 (by cursor)": {"before": cursor},
        "filter by kind and date": {"kind": "notification", "since": "2020-01-01"},
    }
    for label, query in cases.items():
        client.get(f"/fr/mailbox/{box.pk}/", query)  # warm up
        timings = []
        for _ in range(options.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(f"/fr/mailbox/{box.pk}/", query)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code, response.get("Location"))
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        if os.environ.get("BENCH_VERBOSE"):
            for query in queries.captured_queries:
                print(f"   {query['time']}s  {query['sql'][:150]}")
        print(f"{label:<30} median {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  {len(queries)} queries")


if __name__ == "__main__":
    main()
