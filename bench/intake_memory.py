"""Peak memory of a large upload through the real intake pipeline.

    .venv/bin/python bench/intake_memory.py [--size-mb 500] [--clamd]

A multipart request is streamed from disk into Django's WSGI handler (the upload handler of the settings, then
``intake.services.receive``: spool + SHA-256, libmagic, pikepdf, optional real clamd, storage, row). The peak
resident memory of this process (VmHWM, reset just before the request) is compared with its resident memory
before. Everything is written to a temporary folder that is removed at the end. Results: docs/benchmarks.md.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BOUNDARY = "benchboundary7f3a9c"


def rss_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak():
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)


class MultipartBody:
    """A multipart/form-data body read from a file on disk, chunk by chunk (never all in memory)."""

    def __init__(self, path, field="document"):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{path.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.parts = [("bytes", head), ("file", path), ("bytes", tail)]
        self.length = len(head) + path.stat().st_size + len(tail)
        self._iter = self._chunks()
        self._buffer = b""

    def _chunks(self):
        for kind, value in self.parts:
            if kind == "bytes":
                yield value
            else:
                with open(value, "rb") as file:
                    while chunk := file.read(64 * 1024):
                        yield chunk

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._iter, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self, size=-1):
        return self.read(size)


def post(handler, path):
    body = MultipartBody(path)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/upload",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status = []
    response = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    content = b"".join(response)
    return status[0], json.loads(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--clamd", action="store_true", help="scan with a real clamd (StreamMaxLength 1000M)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    clamd = None
    try:
        os.environ.update(
            SECM_PROFILE="test",
            SECM_DATA_DIR=str(work / "data"),
            INTAKE_MAX_FILE_MB=str(args.size_mb + 50),
            INTAKE_MAX_SUBMISSION_MB=str(args.size_mb + 50),
        )
        if args.clamd:
            from eservices.intake.tests import clamd as clamd_process

            clamd, sock = clamd_process.start(work, stream_max="1000M", scan_max="2000M")
            assert sock is not None, "clamd did not start"
            os.environ["CLAMD_ADDRESS"] = f"unix:{sock}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.management import call_command

        from eservices.intake.tests.corpus import write_large_pdf

        settings.ROOT_URLCONF = "bench.intake_urls"
        call_command("migrate", verbosity=0)
        handler = WSGIHandler()
        small = write_large_pdf(work / "warmup.pdf", 256 * 1024)
        print("warm-up:", post(handler, small))  # imports, first queries, first clamd connection
        big = write_large_pdf(work / "upload.pdf", args.size_mb * 1024 * 1024)
        size = big.stat().st_size
        before = rss_kib("VmRSS")
        reset_peak()
        started = time.monotonic()
        status, answer = post(handler, big)
        elapsed = time.monotonic() - started
        peak = rss_kib("VmHWM")
        assert answer["accepted"], answer
        print(f"upload: {size / 2**20:.0f} MiB, status {status}, {answer}")
        print(f"time: {elapsed:.1f} s ({size / 2**20 / elapsed:.0f} MiB/s)")
        print(f"resident memory before: {before / 1024:.1f} MiB, peak during: {peak / 1024:.1f} MiB")
        print(f"peak growth: {(peak - before) / 1024:.1f} MiB")
        # Control: the same measure around reading the file into memory shows that the instrument sees growth.
        before = rss_kib("VmRSS")
        reset_peak()
        data = big.read_bytes()
        print(f"control (whole file read into memory): peak growth {(rss_kib('VmHWM') - before) / 1024:.1f} MiB")
        del data
    finally:
        if clamd is not None:
            clamd_process.stop(clamd)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
