"""The trail is a hash chain: verify_audit finds edits, deletions, insertions, reorderings and truncations."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from eservices.audit import chain
from eservices.audit.models import AuditCheckpoint, AuditEvent
from eservices.audit.services import checkpoint, record, verify_chain
from eservices.audit.tests.tampering import tamper
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.identity.tests.factories import UserFactory
from eservices.signing import services as signing

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")


def make_trail(count=5):
    actor = UserFactory()
    return [record(f"test.event{n}", actor=actor, target=actor, details={"n": n}) for n in range(1, count + 1)]


def verify_audit():
    """Run the command; return its output, or raise CommandError with its message."""
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken_at(expected):
    return pytest.raises(CommandError, match=rf"Audit trail broken at {expected}")


@pytest.mark.django_db
def test_entries_are_chained_and_the_chain_verifies():
    events = make_trail()
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == chain.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    assert "Audit trail intact: 5 entries, head #5" in verify_audit()


@pytest.mark.django_db
def test_an_empty_trail_verifies():
    assert "intact: 0 entries" in verify_audit()


@pytest.mark.django_db
def test_the_stored_entry_hashes_to_what_was_recorded():
    """Values the database normalises (IPv6, JSON, time) hash the same once read back, on SQLite and PostgreSQL."""
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    request.user = UserFactory()
    event = record(
        "test.values",
        request=request,
        details={"when": datetime.date(2026, 3, 2), "ratio": 1.5, "nested": {"b": [1, "é"], "a": None}},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.client_address == "2001:db8::1"
    assert chain.entry_hash(stored) == stored.entry_hash


@pytest.mark.django_db
def test_a_nul_character_does_not_break_the_use_case():
    user = UserFactory.build(first_name="Ann\x00a", last_name="X")
    event = record("test.nul", actor=user, capacity="a\x00", details={"name": "a\x00b"})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_label == "Ann\ufffda X" and stored.capacity == "a\ufffd"
    assert stored.details == {"name": "a\ufffdb"}
    assert verify_chain().intact


@pytest.mark.django_db
def test_the_unit_comes_from_the_target():
    case_file = CaseFileFactory()
    assert record("test.unit", target=case_file).unit_code == case_file.unit.code
    assert record("test.unit", target=case_file.unit).unit_code == case_file.unit.code
    assert record("test.unit", unit=case_file.unit).unit_code == case_file.unit.code
    assert record("test.unit").unit_code == ""


@pytest.mark.django_db
def test_an_edited_entry_is_named():
    make_trail()
    tamper("UPDATE audit_auditevent SET object_repr = %s WHERE sequence = 3", ["someone else"])
    with broken_at(r"entry #3 \(id \d+\): altered"):
        verify_audit()


@pytest.mark.django_db
def test_an_edited_time_is_named():
    events = make_trail()
    tamper("UPDATE audit_auditevent SET occurred_at = %s WHERE sequence = 4", [events[0].occurred_at])
    with broken_at(r"entry #4 \(id \d+\): altered"):
        verify_audit()


@pytest.mark.django_db
def test_a_deleted_entry_is_found():
    events = make_trail()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 2")
    with broken_at(rf"entry #3 \(id {events[2].pk}\): out of sequence: entry #2 was expected"):
        verify_audit()


@pytest.mark.django_db
def test_a_deleted_first_entry_is_found():
    make_trail()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 1")
    with broken_at(r"entry #2 .*out of sequence: entry #1 was expected"):
        verify_audit()


# Constant column lists, no user input: the SQL below is built from literals only.
COPY_COLUMNS = (
    "previous_hash, entry_hash, seal, occurred_at, actor_id, actor_label, capacity, action, object_type, object_id, "
    "object_repr, unit_code, client_address, details"
)


@pytest.mark.django_db
def test_an_entry_inserted_at_the_end_is_found():
    make_trail()
    tamper(
        f"INSERT INTO audit_auditevent (sequence, {COPY_COLUMNS}) "  # noqa: S608
        f"SELECT 6, {COPY_COLUMNS} FROM audit_auditevent WHERE sequence = 5"
    )
    with broken_at(r"entry #6 \(id \d+\): does not follow"):
        verify_audit()


@pytest.mark.django_db
def test_an_entry_inserted_in_the_middle_is_found():
    """Making room (renumbering the entries after it) and copying a neighbour's hashes does not help."""
    make_trail()
    tamper("UPDATE audit_auditevent SET sequence = sequence + 100 WHERE sequence >= 3")
    tamper("UPDATE audit_auditevent SET sequence = sequence - 99 WHERE sequence >= 100")
    tamper(
        f"INSERT INTO audit_auditevent (sequence, {COPY_COLUMNS}) "  # noqa: S608
        f"SELECT 3, {COPY_COLUMNS} FROM audit_auditevent WHERE sequence = 5"
    )
    with broken_at(r"entry #3 \(id \d+\): does not follow"):
        verify_audit()


@pytest.mark.django_db
def test_reordered_entries_are_found():
    events = make_trail()
    tamper("UPDATE audit_auditevent SET sequence = 100 WHERE sequence = 2")
    tamper("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 3")
    tamper("UPDATE audit_auditevent SET sequence = 3 WHERE sequence = 100")
    with broken_at(rf"entry #2 \(id {events[2].pk}\): does not follow"):
        verify_audit()


@pytest.mark.django_db
def test_a_truncated_chain_is_found_against_the_last_checkpoint():
    make_trail()
    call_command("checkpoint_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    record("test.after_checkpoint")
    tamper("DELETE FROM audit_auditevent WHERE sequence >= 4")
    with broken_at(r"entry #4: missing: the chain ends at #3 but the checkpoint of .* recorded #5 \(truncated\)"):
        verify_audit()


@pytest.mark.django_db
def test_without_a_checkpoint_a_cut_end_looks_like_a_shorter_chain():
    """What checkpoints are for: the chain alone cannot tell that its last entries were cut off."""
    make_trail()
    tamper("DELETE FROM audit_auditevent WHERE sequence >= 4")
    assert "intact: 3 entries" in verify_audit()


def rewrite_from(sequence, *, seal_key):
    """Edit entry ``sequence`` and recompute every hash after it, sealing with ``seal_key``, straight in the
    database: what someone who knows the algorithm (and perhaps holds a key) could do."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).entry_hash
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash = previous
        if event.sequence == sequence:
            event.object_repr = "someone else"
        event.entry_hash = chain.entry_hash(event)
        event.seal = chain.seal(event.entry_hash, seal_key)
        tamper(
            "UPDATE audit_auditevent SET object_repr = %s, previous_hash = %s, entry_hash = %s, seal = %s "
            "WHERE id = %s",
            [event.object_repr, event.previous_hash, event.entry_hash, event.seal, event.pk],
        )
        previous = event.entry_hash


@pytest.mark.django_db
def test_a_rewritten_chain_without_the_seal_key_is_found():
    """Someone who edits an entry and recomputes every hash after it, but does not hold the seal key."""
    make_trail()
    rewrite_from(3, seal_key="a key guessed by the attacker")
    with broken_at(r"entry #3 \(id \d+\): not sealed by the portal"):
        verify_audit()


@pytest.mark.django_db
def test_an_entry_appended_with_a_valid_hash_but_no_seal_is_found():
    """Appending after the last checkpoint with the right hash is not enough without the key."""
    events = make_trail(2)
    forged = AuditEvent(
        sequence=3, previous_hash=events[-1].entry_hash, occurred_at=events[-1].occurred_at, action="login.succeeded"
    )
    forged.entry_hash = chain.entry_hash(forged)
    tamper(
        "INSERT INTO audit_auditevent (sequence, previous_hash, entry_hash, seal, occurred_at, actor_label, capacity,"
        " action, object_type, object_id, object_repr, unit_code, details) "
        "SELECT 3, %s, %s, %s, occurred_at, '', '', 'login.succeeded', '', '', '', '', '{}' "
        "FROM audit_auditevent WHERE sequence = 2",
        [forged.previous_hash, forged.entry_hash, "0" * 64],
    )
    with broken_at(r"entry #3 \(id \d+\): not sealed by the portal"):
        verify_audit()


@pytest.mark.django_db
def test_a_rewrite_by_someone_holding_the_key_differs_from_the_checkpoint(settings):
    """Even with the seal key, a rewrite no longer matches the checkpoint (time-stamped outside the database)."""
    make_trail()
    checkpoint()
    rewrite_from(3, seal_key=settings.AUDIT_SEAL_KEY)
    with broken_at(r"entry #5 \(id \d+\): differs from the checkpoint"):
        verify_audit()


@pytest.mark.django_db
def test_entries_sealed_with_an_earlier_key_verify_with_the_fallbacks(settings):
    make_trail(2)
    old_key = settings.AUDIT_SEAL_KEY
    settings.AUDIT_SEAL_KEY = "a new seal key after a rotation"
    record("test.after_rotation")
    with broken_at(r"entry #1 \(id \d+\): not sealed"):
        verify_audit()
    settings.AUDIT_SEAL_KEY_FALLBACKS = [old_key]
    assert "intact: 3 entries" in verify_audit()


@pytest.mark.django_db
def test_an_altered_checkpoint_is_found():
    make_trail()
    saved = checkpoint()
    tamper("UPDATE audit_auditcheckpoint SET sequence = 2 WHERE id = %s", [saved.pk])
    with broken_at(rf"checkpoint {saved.pk} \(head #2\): altered"):
        verify_audit()


@pytest.mark.django_db
def test_a_forged_checkpoint_does_not_match_the_chain():
    make_trail()
    saved = checkpoint()
    forged = chain.checkpoint_digest(2, "0" * 64, saved.created_at)
    token = signing.timestamp_digest(bytes.fromhex(forged))  # someone who can also ask the TSA
    tamper(
        "UPDATE audit_auditcheckpoint SET sequence = 2, entry_hash = %s, digest = %s, timestamp_token = %s "
        "WHERE id = %s",
        ["0" * 64, forged, token, saved.pk],
    )
    with broken_at(r"entry #2 \(id \d+\): differs from the checkpoint"):
        verify_audit()


@pytest.mark.django_db
def test_checkpoint_records_the_head():
    events = make_trail(3)
    saved = checkpoint()
    assert (saved.sequence, saved.entry_hash) == (3, events[-1].entry_hash)
    assert saved.digest == chain.checkpoint_digest(3, events[-1].entry_hash, saved.created_at)
    assert signing.check_timestamp_token(bytes(saved.timestamp_token), bytes.fromhex(saved.digest)).ok
    assert AuditCheckpoint.objects.count() == 1


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditcheckpoint"])
def test_the_database_refuses_updates_and_deletes(statement, table):
    make_trail(2)
    checkpoint()
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(table=table))
    assert AuditEvent.objects.count() == 2


@postgresql_only
@pytest.mark.django_db
def test_the_orm_cannot_edit_an_entry_either():
    event = make_trail(1)[0]
    event.action = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
