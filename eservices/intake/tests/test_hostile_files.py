"""Hostile files beyond the corpus's one-policy run: names with control characters, active content under every
policy, and the bounds of the structural parse (object and page counts, CPU time and memory of the child)."""

import io

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from eservices.audit.models import AuditEvent
from eservices.core import display
from eservices.intake import policies, services
from eservices.intake.models import IntakeRejection, StoredFile
from eservices.intake.tests.corpus import CASES, build, fpdf_pdf, write_many_objects_pdf

pytestmark = pytest.mark.django_db

ACTIVE_CODES = {
    "active_content",
    "form_actions",
    "automatic_actions",
    "multimedia",
    "unsafe_link",
    "external_links",
    "dde",
    "data_connections",
    "unsafe_functions",
    "polyglot",
}
ACTIVE_CASES = [case for case in CASES if case.expect in ACTIVE_CODES]
ALL_POLICIES = [policies.DEPOSIT, policies.SUPPORTING_DOCUMENT, policies.CASEFILE_DOCUMENT]


def receive_path(path, policy, **kwargs):
    with open(path, "rb") as file:
        return services.receive(File(file, name=path.name), policy=policy, **kwargs)


@pytest.mark.parametrize("name", ["rapport\x00.pdf", "rapport.pdf\x00.exe", "rap\nport.pdf", "rap\x1b[31mport.pdf"])
def test_a_name_with_control_characters_is_refused_not_cleaned(name):
    result = services.receive(io.BytesIO(fpdf_pdf()), policy=policies.DEPOSIT, original_name=name)
    assert result.code == "control_characters"
    assert StoredFile.objects.count() == 0
    rejection = IntakeRejection.objects.get()
    assert rejection.sha256  # the evidence keeps what was sent, control characters as visible escapes
    assert rejection.original_name == name.encode("unicode_escape").decode()
    assert AuditEvent.objects.get(action="intake.rejected").details["code"] == "control_characters"
    with translation.override("en"):
        assert result.reason == (
            "The file name contains control characters (such as NUL). Rename the file and send it again."
        )
    with translation.override("nl"):
        assert "NUL" in result.reason and result.reason.startswith("De bestandsnaam")


def test_uploads_reach_the_intake_with_their_control_characters():
    """Django's parser would drop them (and the intake would accept a cleaned name): they are kept to be refused;
    path separators still go."""
    from django.test import RequestFactory

    request = RequestFactory().post("/", {"f": SimpleUploadedFile("C:\\x\\rapport\x00.pdf\x1b.exe", b"%PDF-")})
    assert request.FILES["f"].name == "rapport\x00.pdf\x1b.exe"
    result = services.receive(request.FILES["f"], policy=policies.DEPOSIT)
    assert result.code == "control_characters"
    assert IntakeRejection.objects.get().original_name == "rapport\\x00.pdf\\x1b.exe"  # visible, storable


def test_a_name_with_accents_spaces_and_a_path_is_still_accepted():
    result = services.receive(
        io.BytesIO(fpdf_pdf()), policy=policies.DEPOSIT, original_name="C:\\Users\\x\\Relevé d'été 2026.pdf"
    )
    assert result.accepted and result.stored_file.display_name == "Relevé d'été 2026.pdf"


@pytest.mark.parametrize("policy", ALL_POLICIES)
@pytest.mark.parametrize("case", ACTIVE_CASES, ids=[case.filename for case in ACTIVE_CASES])
def test_active_content_is_refused_under_every_policy(case, policy, tmp_path):
    """Deposits, supporting documents (also those of company representations) and case-file documents refuse
    the same active content; a spreadsheet under the PDF-only policy is refused by its type already."""
    path = build(case, tmp_path)
    result = receive_path(path, policy)
    types = policies.get(policy).types
    expected = case.expect if path.suffix.lstrip(".") in types else "type_not_accepted"
    assert result.code == expected
    assert StoredFile.objects.count() == 0


def test_a_representation_document_with_active_content_is_refused(tmp_path):
    """Company representations (identity) take their supporting document through the same pipeline."""
    from django.core.exceptions import ValidationError

    from eservices.identity import services as identity_services
    from eservices.identity.models import Representation
    from eservices.identity.tests.factories import UserFactory

    case = next(case for case in CASES if case.filename == "gotor-unc.pdf")
    document = SimpleUploadedFile("mandat.pdf", build(case, tmp_path).read_bytes())
    with translation.override("en"), pytest.raises(ValidationError, match="links to other files, network shares"):
        identity_services.request_representation(
            actor=UserFactory(), company_number="0412345614", company_name="Medilab", document=document
        )
    assert not Representation.objects.exists()
    assert IntakeRejection.objects.get().code == "unsafe_link"


def test_the_page_count_is_bounded(tmp_path, settings):
    settings.INTAKE_PDF_MAX_PAGES = 5
    path = tmp_path / "six-pages.pdf"
    path.write_bytes(fpdf_pdf(pages=6))
    result = receive_path(path, policies.DEPOSIT)
    assert result.code == "too_many_pages"
    with translation.override("en"):
        assert result.reason == "The PDF has more than 5 pages."


def test_the_object_count_is_bounded_before_the_walk(tmp_path, settings):
    settings.INTAKE_PDF_MAX_OBJECTS = 1000
    path = write_many_objects_pdf(tmp_path / "many.pdf", 2000)
    result = receive_path(path, policies.DEPOSIT)
    assert result.code == "too_many_objects"
    with translation.override("en"):
        assert result.reason == "The PDF holds more than 1000 objects: it is too complex to be checked."


def test_the_parse_is_stopped_by_its_memory_limit(tmp_path, settings):
    """With the object bound lifted, the issue's file (tiny objects in object streams) needs far more memory than
    allowed: the child process is stopped and the file refused, saying why."""
    settings.INTAKE_PDF_MAX_OBJECTS = 10**7
    settings.INTAKE_PARSE_MEMORY_BYTES = 32 * 1024 * 1024
    path = write_many_objects_pdf(tmp_path / "many.pdf", 200_000)
    result = receive_path(path, policies.DEPOSIT)
    assert result.code == "too_complex" and result.rejection.params["resource"] == "memory"
    with translation.override("en"):
        assert f"more than 5 seconds of processing or {display.size(32 * 2**20)} of memory" in result.reason
    assert StoredFile.objects.count() == 0


def test_the_parse_is_stopped_by_its_cpu_limit(tmp_path, settings):
    settings.INTAKE_PDF_MAX_OBJECTS = 10**7
    settings.INTAKE_PARSE_CPU_SECONDS = 1
    settings.INTAKE_PARSE_MEMORY_BYTES = 4 * 1024 * 1024 * 1024
    path = write_many_objects_pdf(tmp_path / "many.pdf", 600_000)
    result = receive_path(path, policies.DEPOSIT)
    assert result.code == "too_complex" and result.rejection.params["resource"] == "cpu"
    with translation.override("en"):
        assert "more than 1 seconds of processing" in result.reason
