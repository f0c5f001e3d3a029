"""A small clamd client: INSTREAM over a unix or TCP socket (CLAMD_ADDRESS). Verdicts: clean, infected (with the
signature's name), not scanned (clamd dropped the stream beyond its StreamMaxLength, or, with ``AlertExceedsMax
yes``, stopped at MaxFileSize/MaxScanSize: never taken for clean). An unreachable clamd raises
:class:`ScannerUnavailable`; the pipeline then keeps the file in quarantine as pending.
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK = 64 * 1024
LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded"


class ScannerUnavailable(Exception):  # noqa: N818
    """clamd cannot be reached (or answered nonsense): try again later."""


@dataclass(frozen=True)
class Verdict:
    status: str  # "clean", "infected" or "not_scanned"
    signature: str = ""
    detail: str = ""


def enabled():
    return bool(settings.CLAMD_ADDRESS)


def _connect():
    address = settings.CLAMD_ADDRESS
    timeout = settings.CLAMD_TIMEOUT
    try:
        if address.startswith("unix:"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(address.removeprefix("unix:"))
            return sock
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise ScannerUnavailable(f"clamd at {address!r}: {error}") from error


def scan_stream(stream):
    """Send a readable binary stream to clamd and return its :class:`Verdict`."""
    with _connect() as sock:
        send_failed = None
        try:
            sock.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
        except OSError as error:  # clamd closes the connection past StreamMaxLength
            send_failed = error
        answer = _read_answer(sock)
    if not answer:
        raise ScannerUnavailable(f"clamd closed the connection without an answer ({send_failed})")
    if answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream: ").removesuffix(" FOUND").strip()
        if signature.startswith(LIMITS_EXCEEDED):  # AlertExceedsMax: clamd stopped at a limit, did not finish
            return Verdict("not_scanned", detail=signature)
        return Verdict("infected", signature=signature)
    if answer == "stream: OK" and send_failed is None:
        return Verdict("clean")
    return Verdict("not_scanned", detail=answer)  # "INSTREAM size limit exceeded. ERROR" and other refusals


def _read_answer(sock):
    data = b""
    try:
        while not data.endswith(b"\0") and len(data) < 4096:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_file(path):
    with open(path, "rb") as file:
        return scan_stream(file)


def ping():
    """True when clamd answers PING."""
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return _read_answer(sock) == "PONG"
    except ScannerUnavailable:
        return False
