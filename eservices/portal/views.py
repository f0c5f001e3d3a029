"""Citizen screens: the landing page and "Mes dossiers" (access requests, case files, downloads)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from eservices.access import abilities
from eservices.access import queries as access_queries
from eservices.access import services as access_services
from eservices.access.downloads import case_file_archive, document_download
from eservices.access.models import AccessRequest
from eservices.calendar import days
from eservices.core.ratelimits import ALL, rate_limited
from eservices.identity.models import Company
from eservices.identity.queries import companies_represented_by
from eservices.mailbox import queries as mailbox_queries

from .forms import AccessRequestForm, AdditionalInformationForm, CaseFileSearchForm

PAGE_SIZE = 50
# A decision on an access request stays on the person's home page this many days.
RECENT_DECISION_DAYS = 30


def home(request):
    """The landing page: what the portal offers and how to log in; once logged in, the person's own home."""
    if request.user.is_authenticated:
        return _personal_home(request)
    return render(request, "portal/home.html")


def _personal_home(request):
    """Who is logged in and for whom they may act, what waits for them, and the main actions (issue 12)."""
    user = request.user
    today = days.local_today()
    mailboxes, deadlines = mailbox_queries.waiting_for(user, today)
    for message in deadlines:
        message.days_left = days.days_left(message.deadline, today)
    requests = AccessRequest.objects.filter(requester=user).order_by("-submitted_at", "-id")
    since = timezone.now() - datetime.timedelta(days=RECENT_DECISION_DAYS)
    return render(
        request,
        "portal/personal_home.html",
        {
            "companies": list(companies_represented_by(user).order_by("name")),
            "mailboxes": mailboxes,
            "unread": sum(mailbox.unread for mailbox in mailboxes),
            "deadlines": deadlines,
            "open_requests": list(requests.filter(state__in=AccessRequest.OPEN_STATES)[:5]),
            "decisions": list(requests.filter(decided_at__gte=since).exclude(state__in=AccessRequest.OPEN_STATES)[:5]),
            "case_file_count": access_queries.case_files_for_person(user).count(),
        },
    )


@login_required
@require_GET
def case_file_list(request):
    """Mes dossiers: the case files the person may consult, searchable, with what is new since the last visit."""
    form = CaseFileSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    case_files = access_queries.case_files_for_person(
        request.user, search=filters.get("q", ""), status=filters.get("status", ""), kind=filters.get("kind", "")
    )
    page = Paginator(case_files, PAGE_SIZE).get_page(request.GET.get("page"))
    access_queries.mark_new(request.user, page.object_list)
    open_requests = AccessRequest.objects.filter(requester=request.user, state__in=AccessRequest.OPEN_STATES).count()
    return render(request, "portal/case_file_list.html", {"form": form, "page": page, "open_requests": open_requests})


@login_required
@require_GET
def case_file_detail(request, case_file_id):
    """One case file: its summary and the documents the person's grant covers (withheld ones said so)."""
    case_file = abilities.case_file_for(request.user, case_file_id)
    staff = abilities.is_staff_of(request.user, case_file.unit_id)
    grant = None if staff else abilities.grant_for(request.user, case_file)
    can = abilities.get_abilities(request.user, case_file, grant=grant, staff=staff)
    index = abilities.document_index(request.user, case_file, grant=grant, staff=staff)
    last_visit = grant.last_visited_at if grant else None
    for entry in index:
        entry.is_new = last_visit is None or entry.document.created_at > last_visit
    access_services.record_consultation(
        actor=request.user,
        case_file=case_file,
        capacity=can["capacity"],
        unit_code=case_file.unit.code if staff else "",
        grant=grant,
        request=request,
    )
    return render(
        request,
        "portal/case_file_detail.html",
        {
            "case_file": case_file,
            "grant": grant,
            "can": can,
            "index": index,
            "available_count": sum(entry.available for entry in index),
            "parties": case_file.parties.select_related("represents"),
        },
    )


@login_required
@require_GET
def consultations(request, case_file_id):
    """Who looked at my file: who opened it or downloaded its documents, in which capacity, when."""
    case_file = abilities.case_file_for(request.user, case_file_id)
    if not abilities.get_abilities(request.user, case_file)["see_consultations"]:
        raise Http404
    return render(
        request,
        "portal/consultations.html",
        {"case_file": case_file, "events": access_queries.consultations(case_file, reader=request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
@rate_limited("download", methods=ALL)
def download(request, document_id):
    """One document, streamed; 404 unless the person's grant covers it."""
    return document_download(request, document_id)


@login_required
@require_GET
@rate_limited("download", methods=ALL)
def download_all(request, case_file_id):
    """Every document the person may open, as one ZIP with an inventory."""
    return case_file_archive(request, case_file_id)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("access_request")
def request_access(request):
    """Ask for access by reference. The answer is the same whether the reference exists or not."""
    form = AccessRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        number = "".join(ch for ch in data["company_number"] if ch.isdigit())
        company = Company.objects.filter(company_number=number).first() if number else None
        try:
            access_services.submit_request(
                actor=request.user,
                reference=data["reference"],
                capacity=data["capacity"],
                acting_for=data["acting_for"],
                company=company,
                message=data["message"],
                files=data["files"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(
                request,
                _("Your request was sent. You will receive an e-mail when it has been decided."),
            )
            return redirect("portal:access_requests")
    return render(request, "portal/request_access.html", {"form": form})


@login_required
@require_GET
def access_requests(request):
    """The person's own requests and where they stand (never whether the reference exists)."""
    requests = AccessRequest.objects.filter(requester=request.user).order_by("-submitted_at")
    return render(request, "portal/access_requests.html", {"access_requests": requests})


@login_required
@require_http_methods(["GET", "POST"])
def access_request_detail(request, request_id):
    """One of the person's requests; they answer here when staff ask for more."""
    access_request = abilities.request_for_requester(request.user, request_id)
    asked = access_request.state == AccessRequest.State.MORE_INFORMATION_REQUESTED
    form = AdditionalInformationForm(request.POST or None, request.FILES or None) if asked else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("No information was asked for on this request."))
            return redirect("portal:access_request", request_id=access_request.pk)
        if form.is_valid():
            try:
                access_services.add_information(
                    actor=request.user,
                    access_request=access_request,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(request, _("Your answer was added to the request."))
                return redirect("portal:access_request", request_id=access_request.pk)
    return render(
        request,
        "portal/access_request_detail.html",
        {
            "access_request": access_request,
            "form": form,
            "supporting_documents": access_request.supporting_documents.select_related("stored_file"),
        },
    )
