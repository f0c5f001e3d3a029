from django.tasks import task

from . import services


@task
def deliver_email(email_id):
    services.deliver(email_id)
