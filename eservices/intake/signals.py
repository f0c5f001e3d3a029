"""Signals for the floors above, which this app must not import.

``scan_completed(sender=StoredFile, stored_file=...)`` is sent after a file that waited for the antivirus
(``pending``) received its verdict; ``stored_file.scan_status`` tells which.
"""

from django.dispatch import Signal

scan_completed = Signal()
