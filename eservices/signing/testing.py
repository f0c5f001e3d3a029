"""A small RFC 3161 time-stamping authority over HTTP, for the integration tests and the benchmarks.

It is pyHanko's in-process timestamper (``DummyTimeStamper``) behind the standard library's HTTP server, bound to
a free port on 127.0.0.1: the client side (pyHanko's ``HTTPTimeStamper``) talks real HTTP to it, as to a production TSA.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp


class LocalTSA:
    """``with LocalTSA(timestamper) as url:`` serves timestamps at ``url`` until the block ends."""

    def __init__(self, timestamper, *, fail=False, port=0):
        self.timestamper = timestamper
        self.fail = fail
        self.port = port  # 0: a free port (the tests); make prod-local serves it on a fixed one
        self.requests = 0
        self._server = None
        self._thread = None

    def __enter__(self):
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                tsa.requests += 1
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if tsa.fail or self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(503 if tsa.fail else 400)
                    return
                response = tsa.timestamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._server.server_address
        return f"http://{host}:{port}/tsa"

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
