"""Why a file is refused: stable codes (for evidence and callers) and translated, human messages."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than the limit of %(limit)s."),
    "submission_too_large": _("Together, the files are larger than the limit of %(limit)s."),
    "too_many_files": _("A submission may hold at most %(count)s files."),
    "type_not_accepted": _("This type of file is not accepted. Accepted types: %(types)s."),
    "content_mismatch": _("The content of the file does not match its extension (%(extension)s)."),
    "executable": _("Programs are not accepted."),
    "unreadable": _("The file is damaged or cannot be read."),
    "encrypted": _("The file is protected by a password or encrypted. Send it without protection."),
    "no_pages": _("The PDF has no pages."),
    "active_content": _("The PDF contains JavaScript or actions that start programs."),
    "embedded_files": _("The file contains embedded files."),
    "xfa_form": _("The PDF contains an XFA form. Print it to a plain PDF first."),
    "macros": _("The spreadsheet contains macros. Save it without macros, as .xlsx."),
    "unsafe_container": _("The structure of the spreadsheet is unsafe (members, names or compression)."),
    "unsafe_xml": _("The spreadsheet contains forbidden XML (a DTD or entities)."),
    "infected": _("A virus was found in the file."),
    "not_scanned": _("The file could not be checked for viruses: it is too large for the scanner."),
    "submission_refused": _("The submission was refused because another file in it was refused."),
    "storage_full": _("The server's storage is full: nothing was kept. Try again later; the service is informed."),
}
CHOICES = [(code, code) for code in MESSAGES]
SIZE_PARAMS = ("limit",)


class Rejected(Exception):  # noqa: N818 - a verdict, not an error
    """Raised inside the pipeline to refuse a file with a code of :data:`MESSAGES` and its parameters."""

    def __init__(self, code, **params):
        assert code in MESSAGES, code
        super().__init__(code)
        self.code = code
        self.params = params


def message(code, params=None):
    """The translated message of ``code``; sizes in ``params`` are shown in human units."""
    params = dict(params or {})
    for name in SIZE_PARAMS:
        if name in params:
            params[name] = filesizeformat(params[name])
    return str(MESSAGES.get(code, MESSAGES["unreadable"])) % params
