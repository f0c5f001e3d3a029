from django.tasks import task

from . import services
from .models import Deposit


@task
def sign_receipt_later(deposit_id):
    """Retry the proof of deposit of one deposit (queued when the signer or the TSA failed)."""
    deposit = Deposit.objects.filter(pk=deposit_id).first()
    if deposit is not None:
        services.issue_receipt(deposit)
