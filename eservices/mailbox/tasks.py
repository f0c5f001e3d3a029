from django.tasks import task

from . import services


@task
def run_mailbox_jobs():
    """Deemed received, not opened and reminders; schedule it every few minutes (see docs/settings.md)."""
    return services.run_jobs()
