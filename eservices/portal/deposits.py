"""Citizen screens of deposits: the deposit form, sent items, a deposit with its proof, and the public
verification page."""

import math

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eservices.core.downloads import deliver, file_response
from eservices.core.ratelimits import charge, rate_limited
from eservices.deposits import queries, services
from eservices.evidence import receipts
from eservices.evidence.receipts import both_times
from eservices.evidence.services import receipts_for, verify_receipt
from eservices.intake import policies, uploads
from eservices.intake import services as intake_services

from .deposit_forms import DepositForm, VerifyForm


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _too_many_deposits(request):
    message = _("Too many deposits in a short time. Please wait a moment and send again.")
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": [message], "verdicts": []}, status=429)
    return render(request, "portal/deposits/too_many.html", {"message": message}, status=429)


def _too_many_verifications(request):
    message = _("Too many verifications from your connection. Please wait a minute and try again.")
    return render(request, "portal/deposits/too_many.html", {"message": message}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("deposit", on_limit=_too_many_deposits)
def deposit_new(request):
    """Choose the case file, the addressee, the capacity, a message and the files; send them all or none."""
    verdicts, errors = [], []
    uploads.use_policy(request, policies.DEPOSIT)  # before request.POST: the upload is cut at the limits
    if request.method == "POST":
        form = DepositForm(request.user, request.POST)
        cut = intake_services.refuse_cut_upload(request, policy=policies.DEPOSIT, actor=request.user)
        if cut is not None:
            verdicts = [services.Verdict(cut.display_name, False, cut.reason)]
        elif form.is_valid():
            data = form.cleaned_data
            result = services.submit(
                actor=request.user,
                capacity=data["capacity"],
                case_file_reference=data["case_file_reference"],
                unit=data["unit"],
                message=data["message"],
                files=request.FILES.getlist("files"),
                idempotency_key=data["idempotency_key"],
                company=data.get("company"),
                received_at=uploads.received_at(request),
                request=request,
            )
            if result.ok:
                url = reverse("portal:deposit_detail", args=[result.deposit.number])
                return JsonResponse({"ok": True, "redirect": url}) if _wants_json(request) else redirect(url)
            verdicts, errors = result.verdicts, result.errors
            for error in errors:
                form.add_error(None, error)
        nothing_sent = [_("Nothing was sent: a file was refused. Fix or remove it, then send again.")]
        nothing_sent = nothing_sent if any(not verdict.accepted for verdict in verdicts) else []
        if _wants_json(request):
            field_errors = [
                f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
                for name, messages in form.errors.items()
                for message in messages
            ]
            return JsonResponse(
                {
                    "ok": False,
                    "errors": list(dict.fromkeys(nothing_sent + field_errors + [str(error) for error in errors])),
                    "verdicts": [{"name": v.name, "accepted": v.accepted, "reason": v.reason} for v in verdicts],
                },
                status=400,
            )
        status = 400
    suggestions = queries.suggested_case_files(request.user)
    if request.method != "POST":
        # "Deposit in this case file" links (case file, notification) name it: its unit is the addressee.
        own = dict(suggestions)
        reference = request.GET.get("case_file", "").strip().upper()
        initial = {"case_file_reference": reference[:40], **({"unit": own[reference]} if reference in own else {})}
        form = DepositForm(request.user, initial=initial)
        status, nothing_sent = 200, []
    context = {
        "form": form,
        "nothing_sent": nothing_sent,
        "limits": services.limits(),
        "verdicts": verdicts,
        "suggestions": suggestions,
    }
    return render(request, "portal/deposits/new.html", context, status=status)


@login_required
def deposit_list(request):
    """Sent items: my deposits (and my companies'), newest first, with their proof of deposit."""
    deposits = list(queries.deposits_for_person(request.user)[:200])
    receipts = {r.subject_id: r for r in receipts_for(deposits)}
    rows = [(deposit, receipts.get(str(deposit.pk))) for deposit in deposits]
    return render(request, "portal/deposits/list.html", {"rows": rows})


@login_required
def deposit_detail(request, number):
    deposit = get_object_or_404(queries.deposits_for_person(request.user), number=number)
    return render(
        request,
        "portal/deposits/detail.html",
        {
            "deposit": deposit,
            "receipt": services.receipt_of(deposit),
            "received_at": both_times(deposit.received_at or deposit.accepted_at),
            "accepted_at": both_times(deposit.accepted_at),
            "files": deposit.files.all(),
        },
    )


@login_required
def deposit_receipt(request, number):
    """The signed proof of deposit, as a download; 404 while it is being signed."""
    deposit = get_object_or_404(queries.deposits_for_person(request.user), number=number)
    receipt = services.receipt_of(deposit)
    if receipt is None or not receipt.pdf:
        raise Http404
    response = file_response(
        request,
        name=receipt.pdf.name,
        filename=f"proof-of-deposit-{deposit.number}.pdf",
        media_type="application/pdf",
        size=receipt.pdf.size,
        sha256=receipt.sha256,
    )
    return deliver(
        request,
        response,
        lambda: services.record_receipt_download(actor=request.user, deposit=deposit, request=request),
    )


@require_http_methods(["GET", "POST"])
@rate_limited("verification", on_limit=_too_many_verifications)
def verify(request):
    """Anyone, without logging in, checks a proof of deposit and optionally the files it lists (rate-limited per
    client address: each verification costs CPU, and a slow one counts as several)."""
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            files = [(upload.name, upload.chunks()) for upload in request.FILES.getlist("files")]
            result = verify_receipt(form.cleaned_data["receipt"].read(), files)
            # Each started second of reading the receipt beyond the first counts as one more verification.
            charge(request, "verification", math.ceil(result.seconds) - 1)
    else:
        form = VerifyForm()
    context = {"form": form, "result": result}
    if result is not None:
        if result.facts:
            received = result.facts.get("received_at", result.facts["accepted_at"])
            context["received_at"] = both_times(received)
            if result.facts["accepted_at"] != received:
                context["accepted_at"] = both_times(result.facts["accepted_at"])
        if result.signature.timestamp_at:
            context["timestamp_at"] = both_times(result.signature.timestamp_at)
        context["seal"] = receipts.seal_wording()
        context["timestamp"] = receipts.timestamp_wording()
        context["verdict"] = (
            _("This proof of deposit is genuine.") if result.ok else _("This proof of deposit fails verification.")
        )
    return render(request, "portal/deposits/verify.html", context)
