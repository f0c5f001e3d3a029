"""What access does when a case file reaches the end of a retention period: its requests' free texts go."""

from django.dispatch import receiver

from eservices.casefiles.signals import retention_due

from . import services


@receiver(retention_due, dispatch_uid="access_retention_due")
def remove_request_texts(sender, case_file, kind, dry_run, **kwargs):
    if kind != "personal_data":
        return {}
    return {"access_request_texts": services.remove_request_texts(case_file=case_file, dry_run=dry_run)}
