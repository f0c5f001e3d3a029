"""Faults survived, on the running production stack (make prod-local, deploy/prod_local.py).

The stack runs in var/prod-local-test/ (its own ports, PostgreSQL, Redis, S3, TSA, clamd, identity provider, two
gunicorn nodes behind nginx, the worker and the scheduler), started once for this module and stopped at its end.
Each test stops one service, checks what a person sees and that nothing accepted is lost, starts it again and
checks that the stack recovers by itself. Where recovery waits for a periodic job, the test moves that job's last
run back in time (core_jobrun) instead of waiting its interval: the scheduler still does the work.

Run by `make fault-tests` and .ci/run (SECM_STACK_TESTS=1); skipped otherwise, since starting the stack takes a
minute or more. Tests run in file order (-p no:randomly): the S3 server forgets its objects when it stops, so its
test comes last.
"""

import asyncio
import email
import importlib.util
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from conftest import require_service
from eservices.intake.tests.corpus import fpdf_pdf
from eservices.operations.stackclient import StackClient

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.services


def _load_prod_local():
    spec = importlib.util.spec_from_file_location("prod_local", ROOT / "deploy" / "prod_local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wait_until(check, seconds=60, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} not reached within {seconds} s")


class Faults:
    def __init__(self, stack):
        self.stack = stack
        self.database_url = (stack.secrets / "database_url").read_text().strip()
        self.ca = str(stack.secrets / "ca.pem")
        self.citizen = self.client()
        self.citizen.log_in("dr.dubois")

    def client(self):
        return StackClient(self.stack.site_url, self.ca)

    def sql(self, query, *args):
        with psycopg.connect(self.database_url, connect_timeout=5, autocommit=True) as connection:
            cursor = connection.execute(query, args)
            return cursor.fetchall() if cursor.description else None

    def deposit(self, *, key=None, client=None):
        """A deposit of one small PDF, as the form sends it; returns the answer and the idempotency key used."""
        client = client or self.citizen
        page = client.get("/fr/deposits/new/")
        key = key or re.search(r'name="idempotency_key" value="([^"]*)"', page.text).group(1)
        answer = client.post_form(
            "/fr/deposits/new/",
            {
                "idempotency_key": key,
                "unit": self.sql("SELECT id FROM units_unit ORDER BY id LIMIT 1")[0][0],
                "capacity": "concerned_person",
                "message": "fault test",
                "case_file_reference": "SECM/2026/000001",
            },
            files={"files": ("report.pdf", fpdf_pdf(), "application/pdf")},
        )
        return answer, key

    def number(self, answer):
        found = re.search(r"/deposits/(DEP-[\d-]+)/", answer.url)
        assert found, f"not accepted: {answer.status_code} {answer.url}"
        return found.group(1)

    def scan_status(self, number):
        return self.sql(
            "SELECT s.scan_status FROM intake_storedfile s JOIN deposits_depositfile f ON f.stored_file_id = s.id "
            "JOIN deposits_deposit d ON d.id = f.deposit_id WHERE d.number = %s",
            number,
        )[0][0]

    def receipt_status(self, number):
        return self.sql("SELECT status FROM evidence_depositreceipt WHERE number = %s", number)[0][0]

    def make_due(self, job):
        """The job's last run an hour ago: the scheduler (5 s tick) runs it now instead of after its interval."""
        self.sql("UPDATE core_jobrun SET last_started_at = last_started_at - interval '1 hour' WHERE name = %s", job)

    def ready(self):
        try:
            return self.client().get("/readyz", timeout=10).status_code == 200
        except OSError:
            return False


class Mailer:
    """The stack's SMTP server: counts what it accepted; can hold one recipient's next message in DATA."""

    def __init__(self):
        self.accepted = []
        self.hold_for = ""
        self.held_peer = None  # the sender's (address, port) while a message is held
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.hold_for and self.hold_for in envelope.rcpt_tos and not self.release.is_set():
            self.held_peer = session.peer
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.1)
            self.hold_for = ""
            return "451 4.3.0 held by the test: never accepted"
        self.accepted.append(envelope.content)
        return "250 OK"

    def about(self, text):
        """How many accepted messages mention ``text`` (decoded: quoted-printable may cut a line anywhere)."""
        count = 0
        for content in list(self.accepted):
            message = email.message_from_bytes(content)
            parts = [part.get_payload(decode=True) or b"" for part in message.walk() if not part.is_multipart()]
            count += any(text.encode() in part for part in parts)
        return count


@pytest.fixture(scope="module")
def faults():
    if not os.environ.get("SECM_STACK_TESTS"):
        pytest.skip("starts the whole production stack (a minute or more): run `make fault-tests` (.ci/run does)")
    for binary in ("nginx", "clamd", "redis-server", "node"):
        if not (shutil.which(binary) or Path("/usr/sbin", binary).exists()):
            require_service(f"{binary} is not installed")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        require_service("PostgreSQL's server (initdb) is not installed")
    if importlib.util.find_spec("moto") is None:
        require_service("moto (requirements-dev.txt) is not installed")
    prod_local = _load_prod_local()
    stack = prod_local.ProdLocal(ROOT / "var" / "prod-local-test", preferred_ports=False)
    mailer = Mailer()
    smtp = Controller(mailer, hostname="127.0.0.1", port=prod_local.any_free_port())
    smtp.start()
    # Settings the stack does not set pass through from this environment: its e-mails come here.
    saved = {name: os.environ.get(name) for name in ("EMAIL_HOST", "EMAIL_PORT")}
    os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
    try:
        stack.start(quiet=True)
        running = Faults(stack)
        running.mailer = mailer
        yield running
    finally:
        if not os.environ.get("SECM_STACK_KEEP"):  # kept running to iterate on these tests
            stack.stop()
        smtp.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_redis_down_pages_and_deposits_go_on_and_readyz_says_so(faults):
    faults.stack.stop_service("redis")
    try:
        assert faults.citizen.get("/fr/").status_code == 200  # the session is in PostgreSQL
        answer, _key = faults.deposit()  # rate-limited: counted per process meanwhile
        number = faults.number(answer)
        readyz = faults.client().get("/readyz")
        assert readyz.status_code == 503
        assert readyz.json()["checks"]["redis"] != "ok"
    finally:
        faults.stack.start_service("redis")
    wait_until(faults.ready, 30, "/readyz 200 with Redis back")
    assert faults.sql("SELECT count(*) FROM deposits_deposit WHERE number = %s", number) == [(1,)]


def test_clamd_down_files_wait_and_are_released_once_it_is_back(faults):
    faults.stack.stop_service("clamd")
    try:
        answer, _key = faults.deposit()
        number = faults.number(answer)
        assert faults.scan_status(number) == "pending"
    finally:
        faults.stack.start_service("clamd")
    faults.make_due("pending_scans")
    wait_until(lambda: faults.scan_status(number) == "clean", 90, "the file scanned by the scheduler")


def test_tsa_down_deposit_accepted_and_receipt_signed_later(faults):
    faults.stack.stop_service("tsa")
    try:
        answer, _key = faults.deposit()
        number = faults.number(answer)
        assert faults.receipt_status(number) == "pending"
    finally:
        faults.stack.start_service("tsa")
    faults.make_due("pending_receipts")
    wait_until(lambda: faults.receipt_status(number) == "signed", 90, "the receipt signed by the scheduler")


def test_one_web_node_killed_under_load_fails_no_request_beyond_those_in_flight(faults):
    outcomes, stop, clients = [], threading.Event(), 6

    def load():
        client = faults.client()
        while not stop.is_set():
            started = time.monotonic()
            try:
                outcomes.append((started, client.get("/fr/", timeout=30).status_code))
            except OSError as error:  # requests' errors are OSErrors: a response cut by the dying node
                outcomes.append((started, repr(error)))

    threads = [threading.Thread(target=load) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed_at = time.monotonic()
    os.killpg(faults.stack.pid("web1"), signal.SIGKILL)  # gunicorn's master and workers, without warning
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join()
    faults.stack.stop_service("web1")  # its pid file
    faults.stack.start_service("web1")
    failed = [(started, outcome) for started, outcome in outcomes if outcome != 200]
    assert len(outcomes) > 20
    # Only requests already sent to the killed node may fail (at most one per client); every request started
    # after the kill is answered: nginx takes the other node (proxy_next_upstream error).
    assert len(failed) <= clients, failed
    assert [outcome for started, outcome in failed if started > killed_at] == []


def _process_of(peer):
    """The pid of the process whose TCP connection starts at ``peer`` (this machine): /proc/net/tcp, then fds."""
    port = f"{peer[1]:04X}"
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port}"):
            inode = fields[9]
    assert inode, f"no connection from {peer}"
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if os.readlink(fd) == f"socket:[{inode}]":
                return int(fd.parent.parent.name)
        except OSError:
            continue
    raise AssertionError(f"no process holds the connection from {peer}")


def test_a_worker_killed_while_sending_an_email_sends_it_exactly_once(faults):
    address = faults.sql("SELECT email FROM identity_user WHERE username = 'dr.dubois'")[0][0]
    assert address
    mailer = faults.mailer
    mailer.holding.clear()
    mailer.release.clear()
    mailer.hold_for = address
    answer, _key = faults.deposit()  # its proof of deposit, once signed, is announced by e-mail (the worker's task)
    number = faults.number(answer)
    wait_until(mailer.holding.is_set, 90, "the worker in the middle of sending the e-mail")
    # The sender: the worker's task, or the scheduler's outbox job when its tick came first. Both are restarted.
    sender = _process_of(mailer.held_peer)
    assert sender not in (faults.stack.pid("worker"), faults.stack.pid("scheduler"))  # a child of a restart loop
    os.kill(sender, signal.SIGKILL)
    mailer.release.set()  # the dead worker never got an answer: nothing was accepted
    assert mailer.about(number) == 0
    # The claim of a crashed send is released after ten minutes: moved back in time, then the scheduler's outbox job.
    wait_until(
        lambda: faults.sql("SELECT count(*) FROM notifications_outboxemail WHERE claimed_at IS NOT NULL")[0][0] > 0,
        30,
        "the claim",
    )
    faults.sql(
        "UPDATE notifications_outboxemail SET claimed_at = claimed_at - interval '11 minutes' "
        "WHERE claimed_at IS NOT NULL AND status = 'pending'"
    )
    faults.make_due("outbox")
    wait_until(lambda: mailer.about(number) > 0, 90, "the e-mail sent again")
    time.sleep(8)  # the restarted worker and the scheduler's next ticks send nothing more
    assert mailer.about(number) == 1


def test_postgresql_restarted_during_a_deposit_keeps_exactly_one(faults):
    result = {}

    def send():
        try:
            result["answer"], result["key"] = faults.deposit()
        except OSError as error:
            result["error"] = error

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)
    faults.stack.stop_service("postgres")
    faults.stack.start_service("postgres")
    sender.join()
    wait_until(faults.ready, 60, "/readyz 200 with PostgreSQL back")
    key = result.get("key")
    if key is None or result["answer"].status_code != 200:
        # Refused as a whole (or the form never came): the person sends it again with the same form.
        key = key or "fault-test-postgres"
        answer, _ = faults.deposit(key=key)
        assert answer.status_code == 200, answer.status_code
    else:  # accepted before the restart: sending the same form again shows the same deposit
        again, _ = faults.deposit(key=key)
        assert faults.number(again) == faults.number(result["answer"])
    assert faults.sql("SELECT count(*) FROM deposits_deposit WHERE idempotency_key = %s", key) == [(1,)]
    # The worker, which exits when it loses the database, was started again (prod-local's Restart=always).
    assert faults.stack.pid("worker") and faults.stack.pid("scheduler")


def test_s3_down_is_a_clear_error_and_nothing_is_half_stored(faults):
    deposits = faults.sql("SELECT count(*) FROM deposits_deposit")
    files = faults.sql("SELECT count(*) FROM intake_storedfile")
    faults.stack.stop_service("s3")
    try:
        answer, key = faults.deposit()
        assert answer.status_code == 503
        assert answer.headers.get("Retry-After")  # the translated "try again later" page
        assert faults.sql("SELECT count(*) FROM deposits_deposit") == deposits
        assert faults.sql("SELECT count(*) FROM intake_storedfile") == files
    finally:
        faults.stack.start_service("s3")
    again, _ = faults.deposit(key=key)  # the same form, sent again once the storage is back
    assert faults.number(again)
