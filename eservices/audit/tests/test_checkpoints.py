"""Checkpoints of the chain's head are time-stamped by the time-stamping authority (RFC 3161) before they are
written, and verify_audit checks each token: present, valid, from a trusted authority, over that checkpoint."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eservices.audit import chain
from eservices.audit.models import AuditCheckpoint
from eservices.audit.services import checkpoint, checkpoint_statement, read_exported_checkpoints, record
from eservices.audit.tests.tampering import tamper
from eservices.signing import pki
from eservices.signing import services as signing
from eservices.signing.testing import LocalTSA

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def broken_at(expected):
    return pytest.raises(CommandError, match=rf"Audit trail broken at {expected}")


def test_the_command_time_stamps_the_checkpoint_over_a_real_tsa(settings):
    """Integration: the TSA is pyHanko's timestamper behind a real HTTP server on a free port (signing.testing)."""
    record("test.event")
    tsa = LocalTSA(signing.timestamper())
    with tsa as url:
        settings.SIGNING_TSA_URL = url
        output = run("checkpoint_audit")
    assert tsa.requests == 1
    saved = AuditCheckpoint.objects.get()
    assert f"Checkpoint {saved.pk}: head #1" in output and "time-stamped" in output
    check = signing.check_timestamp_token(bytes(saved.timestamp_token), bytes.fromhex(saved.digest))
    assert check.ok
    assert abs(check.time - saved.created_at) < datetime.timedelta(minutes=1)
    assert "intact: 1 entries, head #1" in run("verify_audit")


@pytest.mark.parametrize("fail", ["503", "unreachable"])
def test_without_the_tsa_the_command_fails_and_writes_nothing(settings, fail):
    record("test.event")
    settings.SIGNING_TSA_TIMEOUT = 2
    if fail == "503":
        with LocalTSA(signing.timestamper(), fail=True) as url:
            settings.SIGNING_TSA_URL = url
            with pytest.raises(CommandError, match="No checkpoint written: the time-stamping authority"):
                run("checkpoint_audit")
    else:
        settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # the discard port: nothing listens
        with pytest.raises(CommandError, match="No checkpoint written"):
            run("checkpoint_audit")
    assert not AuditCheckpoint.objects.exists()


def test_a_checkpoint_without_a_token_is_reported():
    record("test.event")
    saved = checkpoint()
    tamper("UPDATE audit_auditcheckpoint SET timestamp_token = NULL WHERE id = %s", [saved.pk])
    with broken_at(rf"checkpoint {saved.pk} \(head #1\): has no time-stamp token"):
        run("verify_audit")


def test_a_token_over_another_digest_is_reported():
    """A token copied from another checkpoint (or made for another statement) does not cover this one."""
    record("test.event")
    first = checkpoint()
    record("test.other")
    second = checkpoint()
    tamper(
        "UPDATE audit_auditcheckpoint SET timestamp_token = %s WHERE id = %s",
        [bytes(first.timestamp_token), second.pk],
    )
    with broken_at(rf"checkpoint {second.pk} \(head #2\): its time-stamp token is not valid"):
        run("verify_audit")


def test_an_altered_token_is_reported():
    record("test.event")
    saved = checkpoint()
    token = bytearray(saved.timestamp_token)
    token[-40] ^= 0x01  # inside the TSA's signature
    tamper("UPDATE audit_auditcheckpoint SET timestamp_token = %s WHERE id = %s", [bytes(token), saved.pk])
    with broken_at(rf"checkpoint {saved.pk} \(head #1\): its time-stamp token is not valid"):
        run("verify_audit")


def test_a_token_from_an_untrusted_tsa_is_reported(settings, tmp_path, demo_pki_dir):
    """A checkpoint time-stamped by an authority outside the trust roots (here: another demo PKI) is refused."""
    record("test.event")
    settings.SIGNING_PKCS12_PATH = str(pki.make_demo_pki(tmp_path / "other", "other"))
    settings.SIGNING_PKCS12_PASSPHRASE = "other"
    saved = checkpoint()
    settings.SIGNING_PKCS12_PATH = str(demo_pki_dir / "signer.p12")
    settings.SIGNING_PKCS12_PASSPHRASE = "test-passphrase"
    with broken_at(rf"checkpoint {saved.pk} \(head #1\): its time-stamp token is not valid"):
        run("verify_audit")


def test_a_backdated_checkpoint_with_a_fresh_token_is_reported():
    """Someone who can write to the database and ask the TSA cannot make a checkpoint look older than it is."""
    record("test.event")
    saved = checkpoint()
    backdated = saved.created_at - datetime.timedelta(days=3)
    digest = chain.checkpoint_digest(saved.sequence, saved.entry_hash, backdated)
    token = signing.timestamp_digest(bytes.fromhex(digest))
    tamper(
        "UPDATE audit_auditcheckpoint SET created_at = %s, digest = %s, timestamp_token = %s WHERE id = %s",
        [backdated, digest, token, saved.pk],
    )
    with broken_at(rf"checkpoint {saved.pk} \(head #1\): its time-stamp token states another time"):
        run("verify_audit")


def verify_against(path):
    out = StringIO()
    call_command("verify_audit", f"--checkpoints={path}", stdout=out)
    return out.getvalue()


def test_each_checkpoint_is_appended_to_the_file_outside_the_database_as_it_is_made(settings):
    record("test.event")
    first = checkpoint()
    record("test.other")
    second = checkpoint()
    exported = read_exported_checkpoints(settings.AUDIT_CHECKPOINT_FILE)
    assert [(saved.pk, saved.sequence, saved.digest) for saved in exported] == [
        (first.pk, 1, first.digest),
        (second.pk, 2, second.digest),
    ]
    assert exported[1].timestamp_token == bytes(second.timestamp_token)
    assert exported[1].created_at == second.created_at
    assert "2 checkpoints and 2 exported to" in verify_against(settings.AUDIT_CHECKPOINT_FILE)


def test_deleting_the_last_checkpoint_and_the_tail_is_found_with_the_exported_file(settings):
    """Someone with the database in hand deletes the last checkpoint and every entry after the one before:
    the database alone looks intact, the file kept outside it shows what vanished."""
    record("test.event")
    checkpoint()
    record("test.second")
    record("test.third")
    last = checkpoint()
    tamper("DELETE FROM audit_auditcheckpoint WHERE id = %s", [last.pk])
    tamper("DELETE FROM audit_auditevent WHERE sequence >= 2")
    assert "intact: 1 entries" in run("verify_audit")
    with broken_at(r"entry #2: missing: the chain ends at #1 but the checkpoint of .* recorded #3 \(truncated\)"):
        verify_against(settings.AUDIT_CHECKPOINT_FILE)


def test_a_forged_line_in_the_file_is_not_believed(settings):
    """The file proves nothing by itself: each line's digest and time-stamp token are checked."""
    record("test.event")
    saved = checkpoint()
    with open(settings.AUDIT_CHECKPOINT_FILE, "a", encoding="ascii") as file:
        line = checkpoint_statement(saved) | {"sequence": 5}
        file.write(json.dumps(line) + "\n")
    with broken_at(r"checkpoint .* \(head #5\): altered"):
        verify_against(settings.AUDIT_CHECKPOINT_FILE)


def test_an_unreadable_file_is_a_clear_error(settings, tmp_path):
    with pytest.raises(CommandError, match="Exported checkpoints: cannot read"):
        verify_against(tmp_path / "absent.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"checkpoint": 1}\n', encoding="ascii")
    with pytest.raises(CommandError, match="bad.jsonl, line 1: not a checkpoint"):
        verify_against(tmp_path / "bad.jsonl")


def test_when_the_file_cannot_be_written_no_checkpoint_is_made(settings, tmp_path):
    record("test.event")
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path)  # a folder: appending to it fails
    with pytest.raises(OSError):
        checkpoint()
    assert not AuditCheckpoint.objects.exists()
