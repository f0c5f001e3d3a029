"""The encrypted copy of the national register number (Fernet keys from NRN_ENCRYPTION_KEYS; the first encrypts).

Old keys stay in the list while rows are re-encrypted (``MultiFernet.rotate``); the lookup goes through the
keyed hash in ``nrn.lookup_hash``, never through this copy.
"""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import nrn


def _fernet():
    if not settings.NRN_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("NRN_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode()) for key in settings.NRN_ENCRYPTION_KEYS])


def encrypt_nrn(value):
    return _fernet().encrypt(nrn.normalise(value).encode()).decode()


def decrypt_nrn(token):
    return _fernet().decrypt(token.encode()).decode() if token else ""
