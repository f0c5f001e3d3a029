"""E-mail written to a folder, one readable ``.eml`` file per message, for the demo and development."""

import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class FolderEmailBackend(BaseEmailBackend):
    """Writes each message to ``<file_path>/<time>-<id>.eml``, atomically (temp file, then rename)."""

    def __init__(self, *, file_path, **kwargs):
        super().__init__(**kwargs)
        self.file_path = file_path

    def send_messages(self, email_messages):
        folder = Path(self.file_path)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / name)
            sent += 1
        return sent
