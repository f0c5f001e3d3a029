"""What the proof of deposit claims (eIDAS art. 3(24)-(27), 3(34), 35, 41, 42): an advanced electronic seal of
the INAMI, not a signature; an electronic timestamp, "qualified" only when the settings say so, with the TSA's name;
in the procedure's language first, then the person's."""

from django.test import override_settings

from eservices.evidence import receipts

from .test_receipts import pdf_text

FACTS = {
    "format": receipts.FORMAT,
    "deposit_number": "DEP-2026-000001",
    "received_at": "2026-03-19T23:59:30+01:00",
    "accepted_at": "2026-03-20T00:00:40+01:00",
    "depositor": {"name": "Marie Dubois", "capacity": "lawyer"},
    "case_file": "SECM/2026/000001",
    "addressee_unit": {"code": "SECM", "name_fr": "SECM", "name_nl": "DGEC"},
    "message_sha256": "",
    "files": [],
}


def text(language, second_language=""):
    pdf = receipts.render_pdf(FACTS, language=language, second_language=second_language, capacity_labels={})
    return " ".join(pdf_text(pdf).split())


@override_settings(SIGNING_TSA_QUALIFIED=False, SIGNING_SEAL_QUALIFIED=False, SIGNING_TSA_NAME="")
def test_by_default_an_advanced_seal_and_an_electronic_timestamp():
    french, dutch = text("fr"), text("nl")
    assert "cachet électronique avancé de l'INAMI" in french and "horodatage électronique." in french
    assert "geavanceerd elektronisch zegel van het RIZIV" in dutch and "elektronisch tijdstempel." in dutch
    for claim in ("qualifié", "gekwalificeerd", "vertrouwd tijdstempel", "signé par la plateforme"):
        assert claim not in french + dutch


@override_settings(SIGNING_TSA_QUALIFIED=True, SIGNING_TSA_NAME="Qualified TSA SA")
def test_a_qualified_timestamp_only_when_the_setting_says_so():
    assert "horodatage électronique qualifié de Qualified TSA SA" in text("fr")
    assert "gekwalificeerd elektronisch tijdstempel van Qualified TSA SA" in text("nl")


def test_the_procedures_language_comes_first_then_the_persons():
    dutch_then_english = text("nl", "en")
    assert dutch_then_english.index("Bewijs van indiening") < dutch_then_english.index("Proof of deposit")
    german = text("de", "de")  # a German procedure; the other line in French
    assert "fortgeschrittene elektronische Siegel des LIKIV" in german and "Preuve de dépôt" in german
    # Received before midnight, accepted after: both, in Brussels time and in UTC.
    assert "2026-03-19 23:59:30 (Europe/Brussels) = 2026-03-19 22:59:30 UTC" in dutch_then_english
    assert "2026-03-20 00:00:40 (Europe/Brussels) = 2026-03-19 23:00:40 UTC" in dutch_then_english
