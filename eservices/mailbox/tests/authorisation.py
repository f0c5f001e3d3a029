"""The mailbox screens in the authorisation matrix.

Objects of the mailbox are asked for by ids that do not exist: this proves the login and staff gates and that a
guessed id is 404 for every role. Entries with a real mailbox, message and dispatch (and a ``build_world`` that
makes them) are for the mailbox's owners to add.
"""

from eservices.core.tests.authorisation import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Entry,
    expect,
)

GUESSED = 999999
ANY_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN)
STAFF_POST_ONLY = expect(METHOD_NOT_ALLOWED, anonymous=LOGIN, persons=FORBIDDEN)
STAFF_GUESSED = expect(NOT_FOUND, anonymous=LOGIN, persons=FORBIDDEN)
GUESSED_FOR_ALL = expect(NOT_FOUND, anonymous=LOGIN)

ENTRIES = {
    # Citizens: the index sends each person to their own mailbox.
    "mailbox:index": Entry(expect=expect(REDIRECT, anonymous=LOGIN)),
    "mailbox:mailbox": Entry(kwargs={"mailbox_id": GUESSED}, expect=GUESSED_FOR_ALL),
    "mailbox:message": Entry(kwargs={"mailbox_id": GUESSED, "message_id": GUESSED}, expect=GUESSED_FOR_ALL),
    "mailbox:download": Entry(
        kwargs={"mailbox_id": GUESSED, "message_id": GUESSED, "document_id": GUESSED}, expect=GUESSED_FOR_ALL
    ),
    "mailbox:archive": Entry(
        kwargs={"mailbox_id": GUESSED, "message_id": GUESSED},
        expect=expect(METHOD_NOT_ALLOWED, anonymous=LOGIN),
        mutating=True,
    ),
    # Back office.
    "backoffice:mailbox_choose_case_file": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_prepare": Entry(
        kwargs=lambda world: {"case_file_id": world.case_file.pk},
        expect=expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND),
    ),
    "backoffice:mailbox_dispatch": Entry(kwargs={"dispatch_id": GUESSED}, expect=STAFF_GUESSED),
    "backoffice:mailbox_send": Entry(kwargs={"dispatch_id": GUESSED}, expect=STAFF_POST_ONLY, mutating=True),
    "backoffice:mailbox_sent": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_message": Entry(kwargs={"message_id": GUESSED}, expect=STAFF_GUESSED),
    "backoffice:mailbox_failed_alerts": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_handle_failed_alert": Entry(
        kwargs={"message_id": GUESSED}, expect=STAFF_POST_ONLY, mutating=True
    ),
    "backoffice:mailbox_paper_fallback": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_record_paper_letter": Entry(
        kwargs={"message_id": GUESSED}, expect=STAFF_POST_ONLY, mutating=True
    ),
    "backoffice:mailbox_holidays": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_delete_holiday": Entry(kwargs={"holiday_id": GUESSED}, expect=STAFF_POST_ONLY, mutating=True),
    "backoffice:mailbox_delete_closing_day": Entry(kwargs={"day_id": GUESSED}, expect=STAFF_POST_ONLY, mutating=True),
}
