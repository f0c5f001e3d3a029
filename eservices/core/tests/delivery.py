"""The requests every download path is tried with, and whether each must be recorded as handing the document
over (``core.downloads.delivers_document``). Each app's download tests run them against its own URL."""

from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True)
class Attempt:
    name: str
    recorded: bool
    method: str = "get"
    headers: dict = field(default_factory=dict)
    status: int = 200


ATTEMPTS = [
    Attempt("whole file", True),
    Attempt("range from byte 0", True, headers={"HTTP_RANGE": "bytes=0-9"}, status=206),
    Attempt("range from byte 00", True, headers={"HTTP_RANGE": "bytes=00-9"}, status=206),
    Attempt("suffix range covering the file", True, headers={"HTTP_RANGE": "bytes=-999999999"}, status=206),
    Attempt("stale If-Range: the whole file", True, headers={"HTTP_RANGE": "bytes=10-", "HTTP_IF_RANGE": '"old"'}),
    Attempt("several ranges: the whole file", True, headers={"HTTP_RANGE": "bytes=10-19,30-39"}),
    Attempt("continuation", False, headers={"HTTP_RANGE": "bytes=10-"}, status=206),
    Attempt("suffix range inside the file", False, headers={"HTTP_RANGE": "bytes=-5"}, status=206),
    Attempt("unsatisfiable range", False, headers={"HTTP_RANGE": "bytes=999999999-"}, status=416),
    Attempt("HEAD: headers only", False, method="head"),
]


def attempts():
    """``ATTEMPTS`` as pytest parameters named after what they try."""
    return pytest.mark.parametrize("attempt", ATTEMPTS, ids=[attempt.name for attempt in ATTEMPTS])


def not_modified(etag):
    """The conditional request a cache makes: 304, nothing handed over, nothing recorded."""
    return Attempt("If-None-Match", False, headers={"HTTP_IF_NONE_MATCH": etag}, status=304)


def attempt(client, url, attempt):
    """Make ``attempt`` on ``url``; check its status; return the response."""
    response = getattr(client, attempt.method)(url, **attempt.headers)
    assert response.status_code == attempt.status, (attempt.name, response.status_code)
    return response
