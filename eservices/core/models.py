"""Ground records of the running portal: leases of singleton processes and the runs of periodic jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    """Who runs a singleton process (the scheduler) until when: another copy waits until the lease expires."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    holder = models.CharField(_("holder"), max_length=200)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self):
        return self.name


class JobRun(models.Model):
    """The last run of one periodic job of the scheduler: when it started, when it ended, how."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name
