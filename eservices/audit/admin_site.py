"""Django's admin, with every add, change and delete recorded in the audit trail (issue 11).

The admin is a break-glass tool for superusers; what it changes (accounts, the superuser flag, companies,
memberships, delivery rules, holidays) must leave the same hash-chained evidence as the services. The project's
admin site wraps every ``ModelAdmin`` registered with it in :class:`AuditedAdminMixin`, so that no app can forget
it; models that services alone may change are registered read-only (``core.admin.ReadOnlyAdmin``).
"""

import json

from django.contrib.admin import AdminSite, ModelAdmin

from .services import record

# The capacity written in the trail for changes made in the admin.
ADMIN_CAPACITY = "admin"


def _details(obj, message):
    """The model and Django's change message (which fields changed, which inline objects were added...)."""
    if isinstance(message, str):
        try:
            message = json.loads(message) if message else []
        except ValueError:
            message = [message]
    return {"model": obj._meta.label_lower, "changes": message}


class AuditedAdminMixin:
    """Records each admin add, change and delete as an audit event, in the admin's transaction."""

    def log_addition(self, request, obj, message):
        record("admin.added", actor=request.user, capacity=ADMIN_CAPACITY, target=obj, request=request,
               details=_details(obj, message))  # fmt: skip
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record("admin.changed", actor=request.user, capacity=ADMIN_CAPACITY, target=obj, request=request,
               details=_details(obj, message))  # fmt: skip
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record("admin.deleted", actor=request.user, capacity=ADMIN_CAPACITY, target=obj, request=request,
                   details=_details(obj, ""))  # fmt: skip
        return super().log_deletions(request, queryset)


class AuditedAdminSite(AdminSite):
    """The default admin site of the project (``audit.apps.AuditedAdminConfig``): every registration is audited."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__, (AuditedAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)
