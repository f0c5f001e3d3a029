"""Django's admin with the project's audited site (``audit/admin_site.py``) as ``admin.site``: listed in
``INSTALLED_APPS`` instead of ``django.contrib.admin``."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "eservices.audit.admin_site.AuditedAdminSite"
