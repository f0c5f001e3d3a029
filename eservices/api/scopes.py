"""The API's scopes: one per resource and action; each client is granted some of them at registration."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

SCOPES = {
    "casefiles:read": _("Read case files and their parties"),
    "casefiles:write": _("Create and change case files and their parties"),
    "documents:read": _("List and download documents"),
    "documents:write": _("Add documents to case files"),
    "notifications:read": _("Read sent messages and their evidence"),
    "notifications:write": _("Send notifications and communications"),
    "deposits:read": _("List deposits and fetch their files and receipts"),
    "deposits:write": _("Acknowledge deposits"),
    "access_requests:read": _("List access requests"),
    "access_requests:write": _("Decide access requests"),
    "representations:read": _("Read representations of companies"),
    "evidence:read": _("Follow the evidence feed"),
}


class ClientScopes(BaseScopes):
    """django-oauth-toolkit's scopes backend: a client may ask for, and gets by default, the scopes it was
    registered with, never more."""

    def get_all_scopes(self):
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = getattr(application, "api_client", None)
        return [scope for scope in (client.scopes if client else []) if scope in SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)
