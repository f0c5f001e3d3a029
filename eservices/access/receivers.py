"""What access does when a case file's personal data reach the end of their retention period (its requests' free
texts go) and when its supporting documents reach theirs (their bytes go, their rows stay)."""

from django.dispatch import receiver

from eservices.casefiles.retention import remove_stored_files
from eservices.casefiles.signals import personal_data_due, records_due
from eservices.intake.models import StoredFile

from . import services
from .models import SupportingDocument


@receiver(personal_data_due, dispatch_uid="access_personal_data_due")
def remove_request_texts(sender, case_file, dry_run, **kwargs):
    return {"access_request_texts": services.remove_request_texts(case_file=case_file, dry_run=dry_run)}


@receiver(records_due, dispatch_uid="access_records_due")
def remove_supporting_documents(sender, case_file, kind, dry_run, **kwargs):
    if kind != "supporting_documents":
        return 0
    held = SupportingDocument.objects.filter(request__case_file=case_file).values_list("stored_file_id", flat=True)
    return remove_stored_files(StoredFile.objects.filter(pk__in=list(held)), dry_run=dry_run)
