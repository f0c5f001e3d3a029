from django.contrib import admin

from .models import PhaseTarget


@admin.register(PhaseTarget)
class PhaseTargetAdmin(admin.ModelAdmin):
    """Break-glass editing of the phase targets; functional administrators use the back office's page."""

    list_display = ("kind", "phase", "working_days")
    list_filter = ("kind", "phase")
