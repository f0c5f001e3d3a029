"""Deposits made through the service, as a person would make them."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from eservices.demo.files import make_pdf, make_xlsx
from eservices.deposits import services
from eservices.identity.models import Capacity


def pdf_upload(name="Conclusions.pdf", title="Conclusions"):
    return SimpleUploadedFile(name, make_pdf(title, ["Page 1"]), content_type="application/pdf")


def xlsx_upload(name="Tableau.xlsx"):
    return SimpleUploadedFile(
        name, make_xlsx("Prestations", [("code", "montant"), ("102012", 24.5)]), content_type="application/octet-stream"
    )


def make_deposit(depositor, case_file, unit=None, files=None, capacity=Capacity.CONCERNED_PERSON, **kwargs):
    result = services.submit(
        actor=depositor,
        capacity=capacity,
        case_file_reference=kwargs.pop("reference", case_file.reference),
        unit=unit or case_file.unit,
        message=kwargs.pop("message", "Veuillez trouver ci-joint mes conclusions."),
        files=files if files is not None else [pdf_upload(), xlsx_upload()],
        idempotency_key=kwargs.pop("idempotency_key", uuid.uuid4().hex),
        **kwargs,
    )
    assert result.ok, (result.errors, result.verdicts)
    return result.deposit
