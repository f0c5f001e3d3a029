"""Signals of the case files, so that the apps on the floor above (access, deposits, mailbox) take part in what
happens to a case file without the case files importing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent by ``services.apply_retention`` inside the transaction (and under the row lock) of one case file whose
# personal data are due, with ``case_file`` and ``dry_run``. Each receiver removes (or, with ``dry_run``, only
# counts) the personal data of its app on the case file and returns a dict of counts, which the case file's
# ``retention.applied`` event adds up.
personal_data_due = Signal()

# Sent when a case file's evidence is due, with ``case_file``: each receiver returns the model instances of its
# app hanging from the case file (deposits, messages) whose evidence goes with the case file's.
evidence_subjects = Signal()

# Sent when one of the kinds the apps above keep for a case file is due (``kind``: ``deposit_files``,
# ``supporting_documents`` or ``messages``), with ``case_file`` and ``dry_run``: the receiver of the app that keeps
# that kind removes (or counts) it and returns the count.
records_due = Signal()
