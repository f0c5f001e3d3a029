"""The deposits of a case file are evidence subjects of it: their evidence goes with the case file's."""

from django.dispatch import receiver

from eservices.casefiles.signals import evidence_subjects

from .models import Deposit


@receiver(evidence_subjects, dispatch_uid="deposits_evidence_subjects")
def deposits_of(sender, case_file, **kwargs):
    return list(Deposit.objects.filter(case_file=case_file))
