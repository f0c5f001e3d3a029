"""A 100 MB deposit against this machine's floor: copying the bytes once and hashing them.

Run: .venv/bin/python bench/deposit_100mb.py [SIZE_MB]
The upload is what Django hands the view for a large file: a TemporaryUploadedFile on disk. The floor reads that
file once, hashes it (SHA-256) and writes it to the documents folder (no fsync, as Django's storage). Local storage
moves a temporary upload into place instead of copying it, so a second figure wraps the same bytes in a plain
UploadedFile, which the storage must copy (as it must for S3). The deposit is deposits.services.submit():
type check by content, SHA-256, storage, the database rows, evidence events and the signed proof of deposit.
"""

import hashlib
import os
import statistics
import sys
import time
import uuid

from _django import setup

CHUNK = 1024 * 1024


def make_upload(size, directory):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("big.pdf", "application/pdf", size, None)
    block = os.urandom(CHUNK)
    upload.write(b"%PDF-1.7\n")
    written = 9
    while written < size:
        part = block[: min(CHUNK, size - written)]
        upload.write(part)
        written += len(part)
    upload.flush()
    upload.seek(0)
    return upload


def floor(upload, directory):
    """Copy once and hash once, in one pass (the least any correct deposit must do)."""
    upload.seek(0)
    digest = hashlib.sha256()
    with open(directory / f"floor-{uuid.uuid4().hex}", "wb") as target:
        while chunk := upload.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


def main():
    size = int(float(sys.argv[1] if len(sys.argv) > 1 else 100) * 1_000_000)
    data = setup()
    from django.core.files.uploadedfile import UploadedFile

    from eservices.casefiles.tests.factories import CaseFileFactory
    from eservices.deposits import services
    from eservices.identity.models import Capacity
    from eservices.identity.tests.factories import UserFactory

    person, case_file = UserFactory(), CaseFileFactory()
    (data / "documents").mkdir(exist_ok=True)

    def deposit(upload, key):
        """Submit one file; return the seconds it took, the receipt signed."""
        os.sync()
        start = time.perf_counter()
        result = services.submit(
            actor=person,
            capacity=Capacity.LAWYER,
            case_file_reference=case_file.reference,
            unit=case_file.unit,
            message="Bench",
            files=[upload],
            idempotency_key=key,
        )
        elapsed = time.perf_counter() - start
        assert result.ok and services.receipt_of(result.deposit).status == "signed"
        return elapsed

    deposit(make_upload(1000, data), "warm-up")  # loads the signing key, the font, the TSA
    floors, deposits, copies, unsigned = [], [], [], []
    for _ in range(5):
        upload = make_upload(size, data)
        os.sync()
        start = time.perf_counter()
        floor(upload, data / "documents")
        floors.append(time.perf_counter() - start)
        upload.close()
        deposits.append(deposit(make_upload(size, data), uuid.uuid4().hex))
        temporary = make_upload(size, data)
        with open(temporary.temporary_file_path(), "rb") as handle:
            copies.append(deposit(UploadedFile(handle, "big.pdf", "application/pdf", size), uuid.uuid4().hex))
        temporary.close()
        issue_receipt, services.issue_receipt = services.issue_receipt, lambda deposit: None
        try:
            os.sync()
            start = time.perf_counter()
            services.submit(
                actor=person,
                capacity=Capacity.LAWYER,
                case_file_reference=case_file.reference,
                unit=case_file.unit,
                message="Bench",
                files=[make_upload(size, data)],
                idempotency_key=uuid.uuid4().hex,
            )
            unsigned.append(time.perf_counter() - start)
        finally:
            services.issue_receipt = issue_receipt
    print(
        f"size: {size / 1e6:.0f} MB, 5 runs; best and median (the machine is shared: the best is the least disturbed)"
    )
    rows = [
        ("floor (copy once + SHA-256)", floors),
        ("deposit (submit, receipt signed)", deposits),
        ("deposit, bytes copied by the storage", copies),
        ("deposit without signing its receipt", unsigned),
    ]
    for label, times in rows:
        print(f"{label}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    for label, times in rows[1:]:
        best, median = min(times) / min(floors), statistics.median(times) / statistics.median(floors)
        print(f"ratio {label} / floor: best {best:.2f}, median {median:.2f}; budget 1.5")


if __name__ == "__main__":
    main()
