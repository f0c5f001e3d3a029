"""Signing a proof of deposit: rendering the bilingual PDF, PAdES signature, RFC 3161 timestamp.

Run: .venv/bin/python bench/receipt_signing.py
Measured with the in-process TSA and with the local HTTP TSA (signing.testing.LocalTSA); a production TSA adds its
own network round trip. Also the offline verification of the signed receipt.
"""

import statistics
import time

from _django import setup


def facts(files):
    return {
        "format": "secm-eservices/proof-of-deposit/1",
        "deposit_number": "DEP-2026-000001",
        "accepted_at": "2026-03-02T14:05:09+01:00",
        "depositor": {"name": "Zoë Ñúñez-Dvořák", "capacity": "lawyer"},
        "case_file": "SECM/2026/001234",
        "addressee_unit": {
            "code": "SECM",
            "name_fr": "Service d'évaluation et de contrôle médicaux",
            "name_nl": "DGEC",
        },
        "message_sha256": "0" * 64,
        "files": [
            {"name": f"Pièce {n}.pdf", "size": 1234567, "sha256": f"{n:064x}", "media_type": "application/pdf"}
            for n in range(files)
        ],
    }


def measure(label, function, runs=20):
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({runs} runs)")


def main():
    setup()
    from django.conf import settings

    from eservices.evidence import receipts, services
    from eservices.signing import services as signing
    from eservices.signing.testing import LocalTSA

    labels = dict.fromkeys(("fr", "nl", "de", "en"), "Avocat")
    for count in (2, 20):
        pdf = receipts.render_pdf(facts(count), language="fr", capacity_labels=labels)
        measure(
            f"render, {count} files",
            lambda c=count: receipts.render_pdf(facts(c), language="fr", capacity_labels=labels),
        )
        measure(f"sign, in-process TSA, {count} files", lambda p=pdf: signing.sign_pdf(p, reason="bench"))
        with LocalTSA(signing.timestamper()) as url:
            settings.SIGNING_TSA_URL = url
            measure(f"sign, local HTTP TSA, {count} files", lambda p=pdf: signing.sign_pdf(p, reason="bench"))
            settings.SIGNING_TSA_URL = ""
        signed = signing.sign_pdf(pdf, reason="bench")
        measure(f"verify offline, {count} files", lambda s=signed: services.verify_receipt(s))


if __name__ == "__main__":
    main()
