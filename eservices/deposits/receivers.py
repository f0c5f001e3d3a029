"""What deposits do when a case file reaches the end of its evidence retention period: their evidence goes."""

from django.dispatch import receiver

from eservices.casefiles.signals import retention_due
from eservices.evidence import services as evidence

from .models import Deposit


@receiver(retention_due, dispatch_uid="deposits_retention_due")
def remove_evidence(sender, case_file, kind, dry_run, **kwargs):
    if kind != "evidence":
        return {}
    deposits = list(Deposit.objects.filter(case_file=case_file))
    if dry_run:
        return {"evidence": sum(evidence.events_for(deposit).count() for deposit in deposits)}
    return {"evidence": evidence.remove_events(deposits)}
