"""Small helpers on uploaded or stored files."""

import hashlib

from django.core.files.base import File


def sha256_and_size(content):
    """The SHA-256 (hex) and the size of a file-like object, read in chunks; it is rewound afterwards."""
    digest, size = hashlib.sha256(), 0
    for chunk in File(content).chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return digest.hexdigest(), size
