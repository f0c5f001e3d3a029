from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is never edited."""

    list_display = ("occurred_at", "action", "actor_label", "capacity", "object_repr", "client_address")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "object_repr")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
