"""The national register number (NISS/INSZ): validation, a keyed lookup hash and masking.

The number itself is a protected attribute: it is stored encrypted, looked up through a keyed hash (so that a
stolen table does not reveal it), and never written to logs unmasked. The checks are python-stdnum's: the
national number (``stdnum.be.nn``) and the BIS number of people not in the national register
(``stdnum.be.bis``), which together make the NISS/INSZ: check digits for both centuries and a possible birth
date (or an unknown one, as the register writes it).
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import bis, nn

DIGITS = re.compile(r"\D")


def normalise(value: str | None) -> str:
    """The 11 digits of a number written with or without separators (``85.07.30-033.28``)."""
    return DIGITS.sub("", value or "")


def is_valid(value: str | None) -> bool:
    """A national register number or a BIS number, written with or without separators."""
    digits = normalise(value)
    return nn.is_valid(digits) or bis.is_valid(digits)


def validate(value: str | None) -> None:
    if not is_valid(value):
        raise ValidationError(_("This is not a valid national register number."), code="invalid_nrn")


def lookup_hash(value: str | None) -> str:
    """A keyed SHA-256 (HMAC) of the normalised number, to find people and parties without storing it in clear."""
    return hmac.new(settings.NRN_HASH_KEY.encode(), normalise(value).encode(), hashlib.sha256).hexdigest()


def mask(value: str | None) -> str:
    """``85.07.30-***.**``: the birth date part only, for logs and screens."""
    digits = normalise(value)
    if len(digits) != 11:
        return "***"
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-***.**"
