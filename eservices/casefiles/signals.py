"""Signals of the case files, so that the apps on the floor above (access, deposits, mailbox) take part in what
happens to a case file without the case files importing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent by ``services.apply_retention`` inside the transaction (and under the row lock) of one case file, once per
# kind of record due ("personal_data" or "evidence"), with ``case_file``, ``kind`` and ``dry_run``. Each receiver
# removes (or, with ``dry_run``, only counts) what of its app belongs to the case file and returns a dict of
# counts, which the case file's ``retention.applied`` event adds up.
retention_due = Signal()
