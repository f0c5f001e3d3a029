"""Identical deposits racing with one idempotency key, each on its own thread and connection (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection, connections

from eservices.audit.models import AuditEvent
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits import services
from eservices.deposits.models import Deposit, DepositFile
from eservices.deposits.tests.factories import pdf_upload, xlsx_upload
from eservices.identity.models import Capacity
from eservices.identity.tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 60


def submit(person, case_file, key):
    return services.submit(
        actor=person,
        capacity=Capacity.LAWYER,
        case_file_reference=case_file.reference,
        unit=case_file.unit,
        message="Bonjour",
        files=[pdf_upload(), xlsx_upload()],
        idempotency_key=key,
    )


def run_threads(targets):
    """Run each target on its own thread and connection; the results and errors, by name."""
    results, errors = {}, {}

    def run(name, target):
        try:
            results[name] = target()
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in targets.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return results, errors


def assert_one_whole_deposit(results, count):
    deposit = Deposit.objects.get()
    assert len(results) == count and {result.deposit.pk for result in results.values()} == {deposit.pk}
    assert sum(not result.duplicate for result in results.values()) == 1
    held = DepositFile.objects.filter(deposit=deposit)
    assert held.count() == 2
    for item in held:
        with item.stored_file.open() as content:
            assert content.read()
    assert not AuditEvent.objects.filter(action="intake.discarded").exists()


def test_the_request_that_stored_the_files_loses_and_answers_with_the_winners_deposit(monkeypatch):
    """The worst order, forced: A stores the files, B replays them and records its deposit, then A records.
    A answers with B's deposit (no ProtectedError) and discards none of the files B's deposit holds."""
    person, case_file = UserFactory(), CaseFileFactory()
    key = uuid.uuid4().hex
    a_stored, b_accepted = threading.Event(), threading.Event()
    store_files, accept = services.store_files, services._accept

    def ordered_store_files(*args, **kwargs):
        if threading.current_thread().name == "b":
            assert a_stored.wait(TIMEOUT)
        outcome = store_files(*args, **kwargs)
        if threading.current_thread().name == "a":
            a_stored.set()
        return outcome

    def ordered_accept(*args):
        if threading.current_thread().name == "a":
            assert b_accepted.wait(TIMEOUT)
            return accept(*args)
        try:
            return accept(*args)
        finally:
            b_accepted.set()

    monkeypatch.setattr(services, "store_files", ordered_store_files)
    monkeypatch.setattr(services, "_accept", ordered_accept)

    def named(name):
        def target():
            threading.current_thread().name = name
            return submit(person, case_file, key)

        return target

    results, errors = run_threads({"a": named("a"), "b": named("b")})
    assert errors == {}
    assert results["a"].duplicate and not results["b"].duplicate
    assert_one_whole_deposit(results, 2)


def test_identical_submissions_at_once_make_one_deposit():
    """Several identical submissions released together, in whatever order the database takes them."""
    person, case_file = UserFactory(), CaseFileFactory()
    key, start = uuid.uuid4().hex, threading.Barrier(4)

    def together():
        start.wait(TIMEOUT)
        return submit(person, case_file, key)

    results, errors = run_threads(dict.fromkeys(range(4), together))
    assert errors == {}
    assert_one_whole_deposit(results, 4)
