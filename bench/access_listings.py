"""Bench: "Mes dossiers" for a person with 500 case files, and a case file with 2,000 documents.

Run: .venv/bin/python bench/access_listings.py  (SQLite in a temporary folder; DATABASE_URL for PostgreSQL)
Prints, for each page: the number of SQL queries and the median/worst time of 20 requests through Django.
"""

import datetime
import statistics
import time

from _setup import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from eservices.access.models import AccessGrant  # noqa: E402
from eservices.casefiles.models import CaseFile, Document, Party  # noqa: E402
from eservices.identity.models import Capacity, User  # noqa: E402
from eservices.units.models import StaffMembership, StaffRole, Unit  # noqa: E402

RUNS = 20


def build():
    unit = Unit.objects.create(code="BENCH", kind=Unit.Kind.REGISTRY, name_fr="Banc d'essai", name_nl="Testbank")
    person = User.objects.create(username="bench.lawyer", email="lawyer@bench.example")
    clerk = User.objects.create(username="bench.clerk")
    StaffMembership.objects.create(user=clerk, unit=unit, role=StaffRole.REGISTRY_CLERK)
    case_files = CaseFile.objects.bulk_create(
        CaseFile(
            unit=unit,
            reference=f"BENCH/2026/{n:05d}",
            kind="first_instance",
            subject=f"Dossier {n}",
            language="fr",
            opened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        )
        for n in range(500)
    )
    AccessGrant.objects.bulk_create(
        AccessGrant(user=person, case_file=case_file, capacity=Capacity.LAWYER) for case_file in case_files
    )
    big = case_files[0]
    party = Party.objects.create(case_file=big, role=Party.Role.LAWYER, display_name="Me Bench", user=person)
    AccessGrant.objects.filter(user=person, case_file=big).update(party=party)
    documents = Document.objects.bulk_create(
        Document(
            case_file=big,
            title=f"Pièce {n}",
            kind="exhibit",
            document_date=datetime.date(2026, 1, 1),
            author_unit=unit,
            file=f"documents/bench{n}",
            original_filename=f"piece{n}.pdf",
            media_type="application/pdf",
            size=1000 + n,
            sha256="0" * 64,
            visibility=["all_parties", "some_parties", "staff_only"][n % 3],
        )
        for n in range(2000)
    )
    Document.visible_to.through.objects.bulk_create(
        Document.visible_to.through(document_id=document.pk, party_id=party.pk) for document in documents[1::6]
    )
    return person, clerk, big


def measure(client, path):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times.append(time.perf_counter() - start)
    return len(queries), statistics.median(times) * 1000, max(times) * 1000, len(response.content)


def main():
    person, clerk, big = build()
    rows = []
    client = Client()
    client.force_login(person)
    rows.append(("Mes dossiers, 500 case files (page of 50)", *measure(client, "/fr/case-files/")))
    rows.append(("Mes dossiers, search over 500", *measure(client, "/fr/case-files/?q=Dossier+4")))
    rows.append(("Case file page, 2,000 documents (person)", *measure(client, f"/fr/case-files/{big.pk}/")))
    client.force_login(clerk)
    rows.append(("Case file page, 2,000 documents (staff)", *measure(client, f"/fr/backoffice/case-files/{big.pk}/")))
    print(f"database: {connection.vendor}; {RUNS} requests each")
    print("| page | queries | median ms | worst ms | HTML bytes |")
    print("|---|---|---|---|---|")
    for name, queries, median, worst, size in rows:
        print(f"| {name} | {queries} | {median:.0f} | {worst:.0f} | {size:,} |")


if __name__ == "__main__":
    main()
