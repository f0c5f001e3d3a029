"""Signals that tell the apps above the outcome of an e-mail; the outbox itself knows nothing of them.

Both are sent inside the transaction that changed the row, with ``email`` (the ``OutboxEmail``).
"""

from django.dispatch import Signal

# The mail server accepted the e-mail.
email_sent = Signal()
# The e-mail finally failed: retries exhausted, refused for good, or bounced after it was sent.
email_failed = Signal()
