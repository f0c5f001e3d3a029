from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "to", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "template")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    def has_add_permission(self, request):
        return False
