import pytest

from eservices.identity import nrn


@pytest.mark.parametrize("value", ["85.07.30-033.28", "85073003328", "00.01.01-001.05"])
def test_valid_numbers(value):
    assert nrn.is_valid(value)


@pytest.mark.parametrize("value", ["85.07.30-033.29", "1234", "", None, "abcdefghijk"])
def test_invalid_numbers(value):
    assert not nrn.is_valid(value)


def test_a_bis_number_is_a_niss_too():
    """People not in the national register have a BIS number (month plus 20 or 40): the same checks apply."""
    assert nrn.is_valid("85.47.30-033.17")


def test_check_digits_alone_are_not_enough():
    """The check digits of 85.13.30-033.70 are right, but there is no 13th month (python-stdnum reads the date)."""
    assert not nrn.is_valid("85.13.30-033.70")


def test_lookup_hash_is_keyed_and_ignores_separators(settings):
    first = nrn.lookup_hash("85.07.30-033.28")
    assert first == nrn.lookup_hash("85073003328")
    assert "85073003328" not in first
    settings.NRN_HASH_KEY = "another-key"
    assert nrn.lookup_hash("85073003328") != first


def test_mask_shows_only_the_birth_date():
    assert nrn.mask("85073003328") == "85.07.30-***.**"
    assert nrn.mask("bad") == "***"
