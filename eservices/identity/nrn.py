"""The national register number (NISS/INSZ): validation, a keyed lookup hash and masking.

The number itself is a protected attribute: it is stored encrypted, looked up through a keyed hash (so that a
stolen table does not reveal it), and never written to logs unmasked.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIGITS = re.compile(r"\D")


def normalise(value):
    """The 11 digits of a number written with or without separators (``85.07.30-033.28``)."""
    return DIGITS.sub("", value or "")


def is_valid(value):
    """Check digits: 97 minus the first nine digits modulo 97 (with a leading 2 for people born from 2000)."""
    digits = normalise(value)
    if len(digits) != 11:
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - int("2" + digits[:9]) % 97)


def validate(value):
    if not is_valid(value):
        raise ValidationError(_("This is not a valid national register number."), code="invalid_nrn")


def lookup_hash(value):
    """A keyed SHA-256 (HMAC) of the normalised number, to find people and parties without storing it in clear."""
    return hmac.new(settings.NRN_HASH_KEY.encode(), normalise(value).encode(), hashlib.sha256).hexdigest()


def mask(value):
    """``85.07.30-***.**``: the birth date part only, for logs and screens."""
    digits = normalise(value)
    if len(digits) != 11:
        return "***"
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-***.**"
