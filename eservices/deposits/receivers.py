"""The deposits of a case file are evidence subjects of it: their evidence goes with the case file's; their files' bytes
go at the end of their own retention period (the rows and the proof of deposit stay)."""

from django.dispatch import receiver

from eservices.casefiles.retention import remove_stored_files
from eservices.casefiles.signals import evidence_subjects, records_due
from eservices.intake.models import StoredFile

from .models import Deposit


@receiver(evidence_subjects, dispatch_uid="deposits_evidence_subjects")
def deposits_of(sender, case_file, **kwargs):
    return list(Deposit.objects.filter(case_file=case_file))


@receiver(records_due, dispatch_uid="deposits_records_due")
def remove_deposit_files(sender, case_file, kind, dry_run, **kwargs):
    if kind != "deposit_files":
        return 0
    return remove_stored_files(StoredFile.objects.filter(deposit_file__deposit__case_file=case_file), dry_run=dry_run)
