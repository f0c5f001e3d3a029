"""Checkpoints of the chain's head are time-stamped by the time-stamping authority (RFC 3161) before they are
written, and verify_audit checks each token: present, valid, from a trusted authority, over that checkpoint."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eservices.audit import chain
from eservices.audit.models import AuditCheckpoint
from eservices.audit.services import checkpoint, record
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
