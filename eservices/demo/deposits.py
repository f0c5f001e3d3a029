"""The demo's deposits, each with its signed proof of deposit, loaded idempotently (fixed idempotency keys)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from eservices.casefiles.models import CaseFile, Document
from eservices.deposits import services
from eservices.deposits.models import Deposit
from eservices.identity.models import Capacity, Company, User
from eservices.units.models import Unit

from .files import make_pdf, make_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# depositor, capacity, case file, addressee unit, message, files (name, title), what staff did (who, attached?, ack?)
DEPOSITS = [
    (
        "dr.dubois",
        Capacity.CONCERNED_PERSON,
        "SECM/2026/001201",
        "SECM",
        "Veuillez trouver ci-joint mes observations et le relevé de mes prestations de janvier à mars.",
        [("Observations de Marie Dubois.pdf", "Observations"), ("Relevé des prestations.xlsx", "Prestations")],
        None,
    ),
    (
        "me.rousseau",
        Capacity.LAWYER,
        "CPI/2026/0042",
        "CPI",
        "Conclusions de synthèse pour la partie défenderesse, avec l'inventaire des pièces.",
        [("Conclusions de synthèse.pdf", "Conclusions de synthèse"), ("Inventaire des pièces.pdf", "Inventaire")],
        ("greffier.cpi", True, True),
    ),
    (
        "dr.peeters",
        Capacity.CONCERNED_PERSON,
        "SECM/2026/001202",
        "SECM",
        "In bijlage mijn verweer en de gevraagde patiëntenlijst (geanonimiseerd).",
        [("Verweer Jan Peeters.pdf", "Verweer"), ("Patiëntenlijst.xlsx", "Lijst")],
        ("inspecteur.dgec", False, False),
    ),
    (
        "gerant.medilab",
        Capacity.COMPANY_REPRESENTATIVE,
        "SECM/2026/001203",
        "SECM",
        "Pour Medilab SRL : attestation de la gérante et registre des analyses.",
        [("Attestation Medilab – Isabelle Michel.pdf", "Attestation"), ("Registre des analyses.xlsx", "Registre")],
        None,
    ),
]


def _upload(name, title):
    if name.endswith(".xlsx"):
        content = make_xlsx(
            title, [("Date", "Code", "Montant"), *[(f"2026-0{m}-0{m}", f"5{m}0{m}", 12.5 * m) for m in range(1, 7)]]
        )
        return SimpleUploadedFile(name, content, content_type=XLSX)
    return SimpleUploadedFile(
        name, make_pdf(title, ["Pièce déposée par le portail eServices."]), content_type="application/pdf"
    )


def load():
    """Create the demo deposits that are missing (after the case files and people of data.load())."""
    medilab = Company.objects.filter(name="Medilab SRL").first()  # represented by gerant.medilab (demo/access.py)
    for index, (username, capacity, reference, unit_code, message, files, triage) in enumerate(DEPOSITS, start=1):
        depositor = User.objects.filter(username=username).first()
        case_file = CaseFile.objects.filter(reference=reference).first()
        if depositor is None or case_file is None:
            continue
        key = f"demo-deposit-{index}"
        deposit = Deposit.objects.filter(depositor=depositor, idempotency_key=key).first()
        if deposit is None:
            result = services.submit(
                actor=depositor,
                capacity=capacity,
                case_file_reference=reference,
                unit=Unit.objects.get(code=unit_code),
                message=message,
                files=[_upload(name, title) for name, title in files],
                idempotency_key=key,
                company=medilab if capacity == Capacity.COMPANY_REPRESENTATIVE else None,
            )
            deposit = result.deposit
        if deposit is None:
            continue
        if services.receipt_of(deposit).status != "signed":
            services.issue_receipt(deposit)
        if triage and deposit.state == Deposit.State.RECEIVED:
            staff = User.objects.get(username=triage[0])
            services.open_deposit(actor=staff, deposit=deposit)
            if triage[1]:
                for item in deposit.files.all():
                    services.attach_file(actor=staff, deposit_file=item, kind=Document.Kind.PLEADING)
            if triage[2]:
                services.acknowledge(actor=staff, deposit=deposit)
