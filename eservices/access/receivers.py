"""What access does when a case file's personal data reach the end of their retention period: its requests' free
texts go."""

from django.dispatch import receiver

from eservices.casefiles.signals import personal_data_due

from . import services


@receiver(personal_data_due, dispatch_uid="access_personal_data_due")
def remove_request_texts(sender, case_file, dry_run, **kwargs):
    return {"access_request_texts": services.remove_request_texts(case_file=case_file, dry_run=dry_run)}
