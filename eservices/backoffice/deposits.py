"""Staff screens of deposits: each unit's triage queue, a deposit, its files, attach and acknowledge.

Staff see only the deposits addressed to their units; any other number is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eservices.casefiles.models import Document
from eservices.deposits import queries, services
from eservices.deposits.models import Deposit
from eservices.evidence.receipts import brussels_time
from eservices.intake.downloads import attachment_response
from eservices.signing.services import SigningUnavailable
from eservices.units import staff

from .downloads import zip_response
from .views import staff_required


@staff_required
def deposit_queue(request):
    """Deposits addressed to my units, the oldest triage deadline first, with their RAG status."""
    units = staff.units_of(request.user)
    deposits = queries.deposits_for_staff(request.user)
    unit_code = request.GET.get("unit", "")
    if unit_code:
        deposits = deposits.filter(unit__code=unit_code)
    show_all = request.GET.get("show") == "all"
    if not show_all:
        deposits = deposits.exclude(state=Deposit.State.ACKNOWLEDGED)
    today = timezone.localdate()
    rows = [(deposit, deposit.rag(today)) for deposit in deposits.order_by("triage_due_on", "accepted_at")[:200]]
    return render(
        request,
        "backoffice/deposits/queue.html",
        {"rows": rows, "units": units, "unit_code": unit_code, "show_all": show_all},
    )


@staff_required
def deposit_detail(request, number):
    deposit = get_object_or_404(queries.deposits_for_staff(request.user), number=number)
    return render(
        request,
        "backoffice/deposits/detail.html",
        {
            "deposit": deposit,
            "rag": deposit.rag(),
            "accepted_at": brussels_time(deposit.accepted_at),
            "files": deposit.files.select_related("document", "stored_file"),
            "kinds": Document.Kind.choices,
        },
    )


@staff_required
def deposit_file(request, number, position):
    """Open one deposited file (404 while the antivirus has not released it); the first opening puts the deposit
    in processing."""
    deposit = get_object_or_404(queries.deposits_for_staff(request.user), number=number)
    item = get_object_or_404(deposit.files, position=position)
    return attachment_response(
        request,
        item.stored_file,
        record=lambda: services.open_deposit(actor=request.user, deposit=deposit, request=request),
    )


@staff_required
@require_POST
def deposit_attach(request, number, position):
    """Add a deposited file to the case file's documents (same bytes, same hash)."""
    deposit = get_object_or_404(queries.deposits_for_staff(request.user), number=number)
    item = get_object_or_404(deposit.files, position=position)
    kind = request.POST.get("kind", Document.Kind.PLEADING)
    if kind not in Document.Kind.values:
        kind = Document.Kind.PLEADING
    if not item.stored_file.is_released:
        messages.error(request, _("This file is waiting for the virus scan; it can be added once it is released."))
        return redirect("backoffice:deposit_detail", number=deposit.number)
    try:
        services.attach_file(actor=request.user, deposit_file=item, kind=kind, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        services.open_deposit(actor=request.user, deposit=deposit, request=request)
        messages.success(request, _("The file was added to the case file's documents."))
    return redirect("backoffice:deposit_detail", number=deposit.number)


@staff_required
@require_POST
def deposit_acknowledge(request, number):
    deposit = get_object_or_404(queries.deposits_for_staff(request.user), number=number)
    services.acknowledge(actor=request.user, deposit=deposit, request=request)
    messages.success(request, _("The deposit is acknowledged; the depositor sees it."))
    return redirect("backoffice:deposit_queue")


@staff_required
def deposit_evidence(request, number):
    """The deposit's sealed evidence bundle (proof of deposit, files, every evidence event); recorded."""
    deposit = get_object_or_404(queries.deposits_for_staff(request.user), number=number)
    try:
        data = services.export_evidence(actor=request.user, deposit=deposit, request=request)
    except SigningUnavailable:
        messages.error(request, _("The evidence cannot be sealed right now. Please try again in a few minutes."))
        return redirect("backoffice:deposit_detail", number=deposit.number)
    return zip_response(data, f"evidence-{deposit.number}.zip")
