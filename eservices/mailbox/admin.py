"""The functional administrator sets each unit's delivery rules here (a rule that departs from the law's defaults
states its legal source; the legal calendar is the calendar app's); messages are shown read-only (they change only
through the services, which record evidence)."""

from django.contrib import admin

from .models import DeliveryRule, Message


@admin.register(DeliveryRule)
class DeliveryRuleAdmin(admin.ModelAdmin):
    list_display = (
        "unit",
        "kind",
        "deemed_received_days",
        "not_opened_days",
        "reminder_days_before",
        "time_limit_start",
        "legal_source",
    )
    list_filter = ("unit", "kind")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("made_available_at", "unit", "case_file", "kind", "subject", "opened_at")
    list_filter = ("unit", "kind")
    list_select_related = ("unit", "case_file")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Message._meta.fields] + ["documents", "alerts"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
