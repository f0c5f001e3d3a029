from django.contrib import admin

from eservices.core.admin import ReadOnlyAdmin

from .models import AuditCheckpoint, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "occurred_at", "action", "actor_label", "capacity", "object_repr", "unit_code")
    list_filter = ("action", "unit_code")
    search_fields = ("action", "actor_label", "object_repr")


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sequence", "entry_hash", "digest")
