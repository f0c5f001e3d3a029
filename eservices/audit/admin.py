from django.contrib import admin

from .models import AuditCheckpoint, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The trail and its checkpoints are never edited (on PostgreSQL the database refuses it too)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "occurred_at", "action", "actor_label", "capacity", "object_repr", "unit_code")
    list_filter = ("action", "unit_code")
    search_fields = ("action", "actor_label", "object_repr")


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sequence", "entry_hash", "digest")
