import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory

from eservices.intake import services
from eservices.intake.downloads import attachment_response
from eservices.intake.models import ScanStatus
from eservices.intake.tests.corpus import fpdf_pdf

pytestmark = pytest.mark.django_db
PDF = fpdf_pdf()


def test_a_released_file_is_an_inert_attachment():
    # A name with CR/LF is refused at intake (control characters); quotes, semicolons and accents pass.
    stored = services.receive(
        ContentFile(PDF, name='Rapport "final"; filename=x.exe é.pdf'), policy="deposit"
    ).stored_file
    response = attachment_response(RequestFactory().get("/"), stored, record=lambda: None)
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.INFECTED])
def test_an_unreleased_file_is_not_served(status):
    stored = services.receive(ContentFile(PDF, name="a.pdf"), policy="deposit").stored_file
    stored.scan_status = status
    with pytest.raises(Http404):
        attachment_response(RequestFactory().get("/"), stored, record=lambda: None)
