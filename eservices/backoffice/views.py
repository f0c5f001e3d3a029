"""Staff screens; each view checks that its reader is staff of the unit concerned (404 otherwise)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eservices.access import abilities
from eservices.access import services as access_services
from eservices.access.downloads import case_file_archive, document_download
from eservices.access.models import AccessGrant, AccessRequest, RefusalReason
from eservices.audit import exports
from eservices.audit import services as audit_services
from eservices.audit.queries import reader_role, search_events
from eservices.casefiles import queries as casefile_queries
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile
from eservices.core.forms import add_service_errors, submit
from eservices.core.ratelimits import ALL, rate_limited
from eservices.dashboards.queries import attention_today
from eservices.identity.access import staff_required  # members of a unit, strongly authenticated
from eservices.intake.downloads import attachment_response
from eservices.mailbox.queries import failed_alerts_for_staff, paper_fallback_for_staff
from eservices.pages.services import may_edit_content
from eservices.units import staff

from .forms import (
    AskForInformationForm,
    AuditSearchForm,
    CaseFileForm,
    DocumentForm,
    GrantForm,
    LegalHoldForm,
    LinkCaseFileForm,
    PartyForm,
    RefuseForm,
    RevokeForm,
    VisibilityForm,
)

PAGE_SIZE = 50


def trail_reader_required(view):
    """Unit leads and functional administrators, strongly authenticated like all staff; others get 403."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.trail_role = reader_role(request.user)
        if request.trail_role is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _case_file(request, case_file_id):
    """A case file the staff member manages (one of their units'); 404 otherwise."""
    return abilities.case_file_for(request.user, case_file_id, "manage")


@staff_required
def dashboard(request):
    """The staff member's units with their number of case files by status."""
    units = staff.units_of(request.user).annotate(case_file_count=Count("case_files"))
    case_files = casefile_queries.case_files_for_staff(request.user)[:50]
    work = {
        "failed_alerts": failed_alerts_for_staff(request.user).count(),
        "paper_letters_due": paper_fallback_for_staff(request.user).filter(paper_letter_sent_on__isnull=True).count(),
        "reads_trail": reader_role(request.user) is not None,
        "manages_staff": staff.is_administrator(request.user),  # no link to a page that would answer 403
        "edits_content": may_edit_content(request.user),
        "attention": attention_today(request.user),
    }
    return render(request, "backoffice/dashboard.html", {"units": units, "case_files": case_files, **work})


@staff_required
@require_GET
def case_file_list(request):
    """The case files of the staff member's units, searchable."""
    search = request.GET.get("q", "").strip()[:100]
    case_files = casefile_queries.case_files_for_staff(request.user).order_by("-opened_on", "reference")
    if search:
        case_files = case_files.filter(reference__icontains=search) | case_files.filter(subject__icontains=search)
    page = Paginator(case_files, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/case_file_list.html", {"page": page, "search": search})


@staff_required
@require_http_methods(["GET", "POST"])
def case_file_create(request):
    form = CaseFileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: casefile_services.create_case_file(actor=request.user, request=request, **form.cleaned_data),
            success=_("The case file was created."),
            then=lambda case_file: redirect("backoffice:case_file", case_file_id=case_file.pk),
        )
        if done:
            return done
    return render(request, "backoffice/case_file_form.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def case_file_edit(request, case_file_id):
    case_file = _case_file(request, case_file_id)
    form = CaseFileForm(request.POST or None, instance=CaseFile.objects.get(pk=case_file.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: casefile_services.update_case_file(
                actor=request.user, case_file=case_file, request=request, **form.cleaned_data
            ),
            success=_("The case file was saved."),
            then=lambda _saved: redirect("backoffice:case_file", case_file_id=case_file.pk),
        )
        if done:
            return done
    return render(request, "backoffice/case_file_form.html", {"form": form, "case_file": case_file})


@staff_required
@require_http_methods(["GET", "POST"])
def case_file_delete(request, case_file_id):
    """Delete a case file opened by mistake: only while it has no document and no access request or grant."""
    case_file = _case_file(request, case_file_id)
    if request.method == "POST":
        try:
            casefile_services.delete_case_file(actor=request.user, case_file=case_file, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("backoffice:case_file", case_file_id=case_file.pk)
        messages.success(request, _("The case file was deleted."))
        return redirect("backoffice:case_files")
    return render(request, "backoffice/case_file_delete.html", {"case_file": case_file})


@staff_required
@require_GET
def case_file_detail(request, case_file_id):
    """A case file as staff see it: summary, parties, every document with its visibility, grants."""
    case_file = _case_file(request, case_file_id)
    return render(
        request,
        "backoffice/case_file_detail.html",
        {
            "case_file": case_file,
            "parties": case_file.parties.select_related("represents", "company", "user"),
            "documents": case_file.documents.select_related("author_unit").prefetch_related("visible_to"),
            "grants": AccessGrant.objects.filter(case_file=case_file).select_related("user", "party", "granted_by"),
            "party_form": PartyForm(case_file=case_file),
            "document_form": DocumentForm(),
            "legal_hold_form": LegalHoldForm(),
        },
    )


@staff_required
@require_POST
def case_file_legal_hold(request, case_file_id):
    """Place a legal hold on the case file (with why), or lift it: retention skips a held case file."""
    case_file = _case_file(request, case_file_id)
    form = LegalHoldForm(request.POST)
    try:
        if request.POST.get("lift"):
            casefile_services.lift_legal_hold(actor=request.user, case_file=case_file, request=request)
            messages.success(request, _("The legal hold is lifted."))
        elif form.is_valid():
            casefile_services.place_legal_hold(
                actor=request.user, case_file=case_file, reason=form.cleaned_data["reason"], request=request
            )
            messages.success(request, _("The case file is on legal hold."))
        else:
            messages.error(request, _("Say why the case file is held."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("backoffice:case_file", case_file_id=case_file.pk)


@staff_required
@require_POST
def party_add(request, case_file_id):
    case_file = _case_file(request, case_file_id)
    form = PartyForm(request.POST, case_file=case_file)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: casefile_services.add_party(
                actor=request.user, case_file=case_file, request=request, **form.cleaned_data
            ),
            success=_("The party was added."),
            then=lambda _party: redirect("backoffice:case_file", case_file_id=case_file.pk),
        )
        if done:
            return done
    return render(
        request, "backoffice/form_page.html", {"form": form, "case_file": case_file, "title": _("Add a party")}
    )


@staff_required
@require_POST
def document_add(request, case_file_id):
    """Add a document; its bytes go through casefiles' add_document (the intake pipeline)."""
    case_file = _case_file(request, case_file_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        done = submit(
            request,
            form,
            lambda: casefile_services.add_document(
                actor=request.user,
                case_file=case_file,
                title=data["title"],
                kind=data["kind"],
                document_date=data["document_date"],
                content=upload,
                filename=upload.name,
                visibility=data["visibility"],
                request=request,
            ),
            success=_("The document was added."),
            then=lambda _document: redirect("backoffice:case_file", case_file_id=case_file.pk),
        )
        if done:
            return done
    return render(
        request,
        "backoffice/form_page.html",
        {"form": form, "case_file": case_file, "title": _("Add a document"), "multipart": True},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def document_visibility(request, document_id):
    """Who may see a document: all parties, some of them, or staff only; and whether its existence shows."""
    document = abilities.document_for_staff(request.user, document_id)
    initial = {
        "visibility": document.visibility,
        "visible_to": list(document.visible_to.all()),
        "confidential_existence": document.confidential_existence,
        "withheld_reason": document.withheld_reason,
    }
    form = VisibilityForm(request.POST or None, initial=initial, document=document)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: casefile_services.set_document_visibility(
                actor=request.user, document=document, request=request, **form.cleaned_data
            ),
            success=_("The visibility was saved."),
            then=lambda _document: redirect("backoffice:case_file", case_file_id=document.case_file_id),
        )
        if done:
            return done
    return render(
        request,
        "backoffice/form_page.html",
        {
            "form": form,
            "case_file": document.case_file,
            "title": _("Visibility of “%(title)s”") % {"title": document.title},
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
@rate_limited("download", methods=ALL)
def document_download_view(request, document_id):
    return document_download(request, document_id)


@staff_required
@require_GET
@rate_limited("download", methods=ALL)
def case_file_download_all(request, case_file_id):
    _case_file(request, case_file_id)
    return case_file_archive(request, case_file_id)


@staff_required
@require_GET
def case_file_history(request, case_file_id):
    """What happened to the case file, from the audit trail."""
    case_file = _case_file(request, case_file_id)
    page = Paginator(casefile_queries.history(case_file), 100).get_page(request.GET.get("page"))
    return render(request, "backoffice/case_file_history.html", {"case_file": case_file, "page": page})


@staff_required
@require_POST
def grant_revoke(request, grant_id):
    access_grant = abilities.grant_for_staff(request.user, grant_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            access_services.revoke(
                actor=request.user, access_grant=access_grant, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The access was revoked."))
    else:
        messages.error(request, _("Say why the access is revoked."))
    return redirect("backoffice:case_file", case_file_id=access_grant.case_file_id)


@staff_required
@require_GET
def request_queue(request):
    """The access requests of the staff member's units, nearest deadline first, with their RAG status."""
    show = request.GET.get("show", "open")
    units = staff.units_of(request.user)
    unit = request.GET.get("unit", "")
    requests = abilities.requests_for_staff(request.user).select_related("requester", "unit", "case_file")
    if unit:
        requests = requests.filter(unit__code=unit)
    if show == "open":
        requests = requests.filter(state__in=AccessRequest.OPEN_STATES).order_by("decision_due_on", "submitted_at")
    else:
        requests = requests.exclude(state__in=AccessRequest.OPEN_STATES).order_by("-decided_at")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/request_queue.html", {"page": page, "show": show, "units": units, "unit": unit})


def _decision_forms(access_request, data=None, which=None):
    case_file = access_request.case_file
    return {
        "link_form": LinkCaseFileForm(data if which == "link" else None),
        "grant_form": GrantForm(
            data if which == "grant" else None,
            case_file=case_file,
            initial={"party": abilities.suggested_party(access_request)},
        )
        if case_file
        else None,
        "refuse_form": RefuseForm(data if which == "refuse" else None),
        "ask_form": AskForInformationForm(data if which == "ask" else None),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def request_detail(request, request_id):
    """One access request and the decisions staff can take on it."""
    access_request = abilities.request_for_staff(request.user, request_id)
    which = request.POST.get("action") if request.method == "POST" else None
    forms = _decision_forms(access_request, request.POST, which)
    if which and not access_request.is_open:
        messages.error(request, _("This request has already been decided."))
        return redirect("backoffice:access_request", request_id=access_request.pk)
    form = forms.get(f"{which}_form") if which else None
    if which == "refuse" and form.is_valid() and request.POST.get("confirmed") != "yes":
        # A refusal cannot be undone: staff see what the requester will be told and confirm it.
        return render(
            request,
            "backoffice/request_refuse_confirm.html",
            {"access_request": access_request, "form": form, "reason": RefusalReason(form.cleaned_data["reason"])},
        )
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "link":
                case_file = (
                    casefile_queries.case_files_for_staff(request.user)
                    .filter(reference=access_services.normalise_reference(data["reference"]))
                    .first()
                )
                if case_file is None:
                    raise ValidationError({"reference": _("No case file of your units has this reference.")})
                access_services.link_case_file(
                    actor=request.user, access_request=access_request, case_file=case_file, request=request
                )
                messages.success(
                    request,
                    _("The request is now linked to case file %(reference)s.") % {"reference": case_file.reference},
                )
            elif which == "grant":
                access_services.grant(actor=request.user, access_request=access_request, request=request, **data)
                messages.success(request, _("Access was granted; the requester is told by e-mail."))
            elif which == "refuse":
                access_services.refuse(actor=request.user, access_request=access_request, request=request, **data)
                messages.success(request, _("The request was refused; the requester is told by e-mail."))
            elif which == "ask":
                access_services.ask_for_information(
                    actor=request.user, access_request=access_request, request=request, **data
                )
                messages.success(request, _("The requester was asked for more information."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("backoffice:access_request", request_id=access_request.pk)
    return render(
        request,
        "backoffice/request_detail.html",
        {
            "access_request": access_request,
            "supporting_documents": access_request.supporting_documents.select_related("stored_file"),
            **forms,
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def supporting_document(request, request_id, document_id):
    """A supporting document of a request of the staff member's units."""
    access_request = abilities.request_for_staff(request.user, request_id)
    document = access_request.supporting_documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return attachment_response(
        request,
        document.stored_file,
        record=lambda: access_services.record_supporting_download(
            actor=request.user, supporting_document=document, request=request
        ),
    )


@require_GET
@trail_reader_required
def audit_trail(request):
    """Search the audit trail by action, actor, object and dates; every search is itself recorded."""
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        paginator = Paginator(search_events(request.user, **filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        list(page.object_list)
        audit_services.record_search(
            actor=request.user,
            filters=form.filters_for_audit() if form.is_bound else {},
            page=page.number,
            results=paginator.count,
            request=request,
        )
    return render(request, "backoffice/audit_trail.html", {"form": form, "page": page})


@require_GET
@trail_reader_required
@rate_limited("audit_export", methods=["GET"])
def audit_export(request, fmt):
    """The events of a search as CSV or JSON (with their hashes, so a copy can be checked), streamed."""
    if fmt not in exports.FORMATS:
        raise Http404
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "backoffice/audit_trail.html", {"form": form, "page": None}, status=400)
    events = search_events(request.user, **form.filters())
    audit_services.record_export(
        actor=request.user, filters=form.filters_for_audit(), fmt=fmt, results=events.count(), request=request
    )
    content_type, render_chunks = exports.FORMATS[fmt]
    response = StreamingHttpResponse(render_chunks(events.iterator(chunk_size=2000)), content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = content_disposition_header(True, f"audit-trail-{stamp}.{fmt}")
    return response
