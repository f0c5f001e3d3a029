from django import template
from django.utils.translation import gettext_lazy as _

from eservices.identity.models import Capacity

register = template.Library()


@register.filter
def capacity_label(value):
    """The translated name of a capacity code (a person's, or staff, administrator, system)."""
    if value in Capacity.values:
        return Capacity(value).label
    return OTHER_CAPACITIES.get(value, value or "")


ACTIONS = {
    "access.granted": _("Access granted"),
    "access.information_added": _("Information added to an access request"),
    "access.linked": _("Access request linked to a case file"),
    "access.more_information_requested": _("More information asked for"),
    "access.refused": _("Access refused"),
    "access.requested": _("Access requested"),
    "access.revoked": _("Access revoked"),
    "access.supporting_document_downloaded": _("Supporting document downloaded"),
    "admin.added": _("Added in the administration"),
    "admin.changed": _("Changed in the administration"),
    "admin.deleted": _("Deleted in the administration"),
    "audit.exported": _("Audit trail exported"),
    "audit.searched": _("Audit trail searched"),
    "calendar.closing_day_added": _("Closing day added"),
    "calendar.closing_day_deleted": _("Closing day deleted"),
    "calendar.legal_holiday_added": _("Legal holiday added"),
    "calendar.legal_holiday_deleted": _("Legal holiday deleted"),
    "casefile.consulted": _("Case file consulted"),
    "casefile.created": _("Case file opened"),
    "casefile.deleted": _("Case file deleted"),
    "casefile.legal_hold_lifted": _("Legal hold lifted"),
    "casefile.legal_hold_placed": _("Legal hold placed"),
    "casefile.party_added": _("Party added"),
    "casefile.updated": _("Case file changed"),
    "casefile.viewed": _("Case file consulted"),
    "contact.updated": _("Contact details changed"),
    "deposit.acknowledged": _("Deposit acknowledged"),
    "deposit.file_attached": _("Deposited file added to the case file"),
    "deposit.opened": _("Deposit opened"),
    "deposit.receipt_downloaded": _("Proof of deposit downloaded"),
    "document.added": _("Document added"),
    "document.downloaded": _("Document downloaded"),
    "document.visibility_set": _("Visibility of a document changed"),
    "evidence.downloaded": _("Document downloaded"),
    "identity.email_changed": _("Alert e-mail address changed"),
    "identity.email_confirmed": _("Alert e-mail address confirmed"),
    "identity.language_changed": _("Preferred language changed"),
    "identity.sessions_ended": _("Sessions ended"),
    "intake.cleaned": _("Received file cleaned up"),
    "intake.discarded": _("Received file withdrawn"),
    "intake.rejected": _("File refused"),
    "intake.scanned": _("File scanned by the antivirus"),
    "intake.stored": _("File received"),
    "login.failed": _("Login failed"),
    "login.locked_out": _("Login blocked after too many attempts"),
    "login.succeeded": _("Logged in"),
    "logout": _("Logged out"),
    "mailbox.archived": _("Message archived"),
    "mailbox.dispatch_prepared": _("Dispatch prepared"),
    "mailbox.failed_alert_handled": _("Failed alert handled"),
    "mailbox.paper_letter_sent": _("Paper letter sent"),
    "mailbox.reminder_sent": _("Reminder sent"),
    "notice.published": _("Notice published"),
    "notice.withdrawn": _("Notice withdrawn"),
    "otp.device_created": _("Second factor registered"),
    "otp.failed": _("Second factor refused"),
    "otp.verified": _("Second factor accepted"),
    "personal_data.exported": _("Personal data downloaded"),
    "personal_data.viewed": _("Personal data viewed"),
    "representation.asserted": _("Representation asserted by the mandate source"),
    "representation.confirmed": _("Representation confirmed"),
    "representation.refused": _("Representation refused"),
    "representation.document_downloaded": _("Representation document downloaded"),
    "representation.ended": _("Representation ended"),
    "representation.requested": _("Representation requested"),
    "retention.applied": _("Retention periods applied"),
    "session.ended": _("Session ended"),
    "staff.membership_added": _("Staff member added to a unit"),
    "staff.membership_removed": _("Staff member removed from a unit"),
    "staff.role_changed": _("Staff role changed"),
}
# Capacities the audit trail records beside those of persons (identity.Capacity).
OTHER_CAPACITIES = {
    "staff": _("Staff"),
    "admin": _("Administrator"),
    "system": _("The system"),
    "data_subject": _("The person concerned by the data"),
}


@register.filter
def action_label(value):
    """The translated name of an audit action; one without a name is put in words from its code."""
    if value in ACTIONS:
        return ACTIONS[value]
    area, _dot, what = (value or "").partition(".")
    return f"{area.replace('_', ' ').capitalize()}: {what.replace('_', ' ')}" if what else value
