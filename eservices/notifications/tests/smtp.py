"""A real SMTP server for the tests (aiosmtpd), on a free port of 127.0.0.1, that can be told to refuse."""

import contextlib
import socket

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts mail and keeps it, or answers ``refuse_with`` (e.g. "451 4.3.0 Try again later") to RCPT."""

    def __init__(self):
        self.envelopes = []
        self.refuse_with = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def use_smtp(settings, port):
    """Point the project's mailer at an SMTP server on 127.0.0.1:port."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "eservices.core.mail.DkimSmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
