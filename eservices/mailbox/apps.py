from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "eservices.mailbox"
    verbose_name = _("Mailbox")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the outbox's and the case files' signals
