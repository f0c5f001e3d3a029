"""The citizen's mailbox: their own and those of the companies they represent. Every object is reached through
a mailbox the reader may read, so a guessed id answers 404."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eservices.access.downloads import document_response
from eservices.calendar import days
from eservices.core.downloads import deliver
from eservices.core.ratelimits import ALL, rate_limited

from . import queries, services
from .forms import MessageFilterForm

PAGE_SIZE = 25


def _mailbox_or_404(request, mailbox_id):
    mailbox = queries.readable_mailbox(request.user, mailbox_id)
    if mailbox is None:
        raise Http404
    return mailbox


def _message_or_404(request, mailbox_id, message_id):
    mailbox = _mailbox_or_404(request, mailbox_id)
    message = queries.message_in(mailbox, message_id)
    if message is None:
        raise Http404
    return mailbox, message


@login_required
def index(request):
    """The mailboxes the user reads; straight to the only one when there is one."""
    own = services.mailbox_of_user(request.user)
    mailboxes = list(queries.readable_mailboxes(request.user))
    if len(mailboxes) == 1:
        return redirect("mailbox:mailbox", mailbox_id=own.pk)
    rows = [(mailbox, queries.unread_count(mailbox)) for mailbox in mailboxes]
    return render(request, "mailbox/index.html", {"rows": rows})


@login_required
def mailbox(request, mailbox_id):
    """One mailbox: messages newest first, unread marked, filtered, searched and paginated."""
    mailbox = _mailbox_or_404(request, mailbox_id)
    case_files, units = queries.filter_choices(mailbox)
    form = MessageFilterForm(request.GET or None, case_files=case_files, units=units)
    filters = form.filters() if request.GET else {}
    # Keyset pagination and a bounded unread count: the same few indexed reads on a mailbox of any size.
    page = queries.keyset_page(
        queries.messages_in(mailbox, **filters),
        before=request.GET.get("before", ""),
        after=request.GET.get("after", ""),
        size=PAGE_SIZE,
    )
    today = days.local_today()
    for message in page:
        message.days_left = days.days_left(message.deadline, today) if message.deadline else None
    query = request.GET.copy()
    for key in ("page", "before", "after"):
        query.pop(key, None)
    unread = queries.unread_count(mailbox)
    return render(
        request,
        "mailbox/mailbox.html",
        {
            "mailbox": mailbox,
            "page": page,
            "form": form,
            "unread": min(unread, queries.UNREAD_BOUND),
            "unread_more": unread > queries.UNREAD_BOUND,
            "query": query.urlencode(),
            "archived": filters.get("archived", False),
        },
    )


@login_required
def message(request, mailbox_id, message_id):
    """One message: its text, documents, deadline and evidence. Its first opening is evidence."""
    mailbox, message = _message_or_404(request, mailbox_id, message_id)
    services.open_message(actor=request.user, message=message, request=request)
    return render(
        request,
        "mailbox/message.html",
        {
            "mailbox": mailbox,
            "message": message,
            "documents": message.documents.all(),
            "evidence": queries.evidence_of(message),
            "days_left": days.days_left(message.deadline) if message.deadline else None,
        },
    )


@login_required
@require_POST
def archive(request, mailbox_id, message_id):
    mailbox, message = _message_or_404(request, mailbox_id, message_id)
    archived = request.POST.get("archived") != "0"
    services.set_archived(actor=request.user, message=message, archived=archived, request=request)
    flash.success(request, _("The message was archived.") if archived else _("The message is back in the mailbox."))
    return redirect("mailbox:mailbox", mailbox_id=mailbox.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
@rate_limited("download", methods=ALL)
def download(request, mailbox_id, message_id, document_id):
    """One document of a message, streamed as an attachment; DOWNLOADED evidence when the answer hands it over.

    A document still waiting for its virus scan is absent (404), as in the case file.
    """
    mailbox, message = _message_or_404(request, mailbox_id, message_id)
    document = message.documents.select_related("stored_file").filter(pk=document_id).first()
    if document is None or not document.is_released:
        raise Http404
    response = document_response(request, document)
    return deliver(
        request,
        response,
        lambda: services.record_download(actor=request.user, message=message, document=document, request=request),
    )
