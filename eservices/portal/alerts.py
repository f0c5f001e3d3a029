"""The public check of an e-mail's check code: "this e-mail was sent by the portal on ...", and nothing more."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from eservices.core.ratelimits import rate_limited
from eservices.evidence.receipts import both_times
from eservices.notifications.services import alert_sent_at


class CheckCodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Check code"), max_length=20, strip=True)


def _too_many_checks(request):
    message = _("Too many checks from your connection. Please wait a minute and try again.")
    return render(request, "portal/deposits/too_many.html", {"message": message}, status=429)


@require_http_methods(["GET", "POST"])
@rate_limited("email_check", on_limit=_too_many_checks)
def verify_email(request):
    """Anyone confirms that an e-mail came from the portal by its check code (rate-limited per client address, so
    that codes cannot be guessed). The answer names no recipient, subject or document."""
    answer = None
    if request.method == "POST":
        form = CheckCodeForm(request.POST)
        if form.is_valid():
            sent_at = alert_sent_at(form.cleaned_data["code"])
            answer = (
                {
                    "ok": True,
                    "text": _("This e-mail was sent by the portal on %(time)s.") % {"time": both_times(sent_at)},
                }
                if sent_at
                else {"ok": False, "text": _("The portal sent no e-mail with this check code.")}
            )
    else:
        form = CheckCodeForm()
    return render(request, "portal/verify_email.html", {"form": form, "answer": answer})
