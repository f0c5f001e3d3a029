"""Why a file is refused: stable codes (for evidence and callers) and translated, human messages."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from eservices.core.display import size as filesizeformat

from .rejected import Rejected

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than the limit of %(limit)s."),
    "submission_too_large": _("Together, the files are larger than the limit of %(limit)s."),
    "too_many_files": _("A submission may hold at most %(count)s files."),
    "type_not_accepted": _("This type of file is not accepted. Accepted types: %(types)s."),
    "content_mismatch": _("The content of the file does not match its extension (%(extension)s)."),
    "executable": _("Programs are not accepted."),
    "unreadable": _("The file is damaged or cannot be read."),
    "control_characters": _(
        "The file name contains control characters (such as NUL). Rename the file and send it again."
    ),
    "polyglot": _(
        "The file holds data of another format before, after or around its own content (for example an archive "
        "appended to a PDF). Send the document alone."
    ),
    "too_many_objects": _("The PDF holds more than %(count)s objects: it is too complex to be checked."),
    "too_many_pages": _("The PDF has more than %(count)s pages."),
    "too_complex": _(
        "Checking the file took more than %(cpu_seconds)s seconds of processing or %(memory)s of memory: it is "
        "too complex to be accepted. Simplify it (for example, print it to a new PDF) and send it again."
    ),
    "encrypted": _("The file is protected by a password or encrypted. Send it without protection."),
    "no_pages": _("The PDF has no pages."),
    "active_content": _("The PDF contains JavaScript or actions that start programs."),
    "form_actions": _("The PDF contains form actions that send, import or reset data."),
    "automatic_actions": _(
        "The PDF contains actions that run by themselves (when it is opened, a page is shown or a field is used)."
    ),
    "multimedia": _("The PDF contains multimedia content (RichMedia, 3D, movie or sound)."),
    "unsafe_link": _(
        "The file contains links to other files, network shares or scripts. Only links to web pages (http, "
        "https) and e-mail addresses are accepted."
    ),
    "external_links": _(
        "The spreadsheet refers to other workbooks, files or linked objects. Break the links and save it again."
    ),
    "dde": _("The spreadsheet contains DDE links or formulas that start programs."),
    "data_connections": _("The spreadsheet contains data connections or web queries. Remove them and save it again."),
    "unsafe_functions": _(
        "The spreadsheet contains formulas that call the network or programs (WEBSERVICE, FILTERXML, CALL, REGISTER)."
    ),
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
SIZE_PARAMS = ("limit", "memory")
__all__ = ["CHOICES", "MESSAGES", "Rejected", "message"]


def message(code: str, params: dict[str, Any] | None = None) -> str:
    """The translated message of ``code``; sizes in ``params`` are shown in human units."""
    params = dict(params or {})
    for name in SIZE_PARAMS:
        if name in params:
            params[name] = filesizeformat(params[name])
    return str(MESSAGES.get(code, MESSAGES["unreadable"])) % params
