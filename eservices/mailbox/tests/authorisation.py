"""The mailbox screens in the authorisation matrix.

Screens that only read are asked for by ids that do not exist: this proves the login and staff gates and that a
guessed id is 404 for every role. Screens that change something get valid data on real objects (``build_world``:
a message sent by the unit to the concerned person's mailbox, a prepared dispatch, a public holiday).
"""

from eservices.core.tests.authorisation import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Entry,
    Post,
    expect,
)

GUESSED = 999999


def build_world(world):
    import datetime

    from eservices.calendar.models import ClosingDay, LegalHoliday
    from eservices.mailbox import services
    from eservices.mailbox.tests.factories import prepare

    world.mailbox = services.mailbox_of_user(world.concerned_user)
    (world.message,) = services.send_dispatch(
        actor=world.clerk, dispatch=prepare(world.clerk, world.case_file, [world.mailbox])
    )
    world.dispatch = prepare(world.clerk, world.case_file, [world.mailbox], subject="Second")
    world.holiday = LegalHoliday.objects.create(date=datetime.date(2026, 10, 9), name="Fête", legal_source="Loi")
    world.closing_day = ClosingDay.objects.create(date=datetime.date(2026, 5, 15), name="Pont")


def message(world):
    return {"message_id": world.message.pk}


UNIT_STAFF_POST = expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
ADMINISTRATOR_POST = expect(FORBIDDEN, anonymous=LOGIN, administrator=REDIRECT)
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
        kwargs=lambda world: {"mailbox_id": world.mailbox.pk, "message_id": world.message.pk},
        expect=expect(METHOD_NOT_ALLOWED, anonymous=LOGIN),
        mutating=True,
        # The mailbox is the concerned person's: everyone else, staff included, finds nothing.
        post=Post(
            data=lambda world: {},
            expect=expect(NOT_FOUND, anonymous=LOGIN, person_with_grant=REDIRECT),
            rightful="person_with_grant",
        ),
    ),
    # Back office.
    "backoffice:mailbox_choose_case_file": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_prepare": Entry(
        kwargs=lambda world: {"case_file_id": world.case_file.pk},
        expect=expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND),
    ),
    "backoffice:mailbox_dispatch": Entry(kwargs={"dispatch_id": GUESSED}, expect=STAFF_GUESSED),
    "backoffice:mailbox_send": Entry(
        kwargs=lambda world: {"dispatch_id": world.dispatch.pk},
        expect=STAFF_POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:mailbox_sent": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_message": Entry(kwargs={"message_id": GUESSED}, expect=STAFF_GUESSED),
    "backoffice:mailbox_failed_alerts": Entry(expect=ANY_STAFF),
    # The evidence bundle: staff of the sending unit only.
    "backoffice:mailbox_evidence": Entry(
        kwargs=message, expect=expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
    ),
    "backoffice:mailbox_handle_failed_alert": Entry(
        kwargs=message,
        expect=STAFF_POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:mailbox_paper_fallback": Entry(expect=ANY_STAFF),
    "backoffice:mailbox_record_paper_letter": Entry(
        kwargs=message,
        expect=STAFF_POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {"sent_on": "2026-03-10"}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    # The legal calendar moves every unit's deadlines: all staff read them, functional administrators change them.
    "backoffice:mailbox_holidays": Entry(
        expect=ANY_STAFF,
        post=Post(
            data=lambda world: {
                "what": "holiday",
                "holiday-date": "2026-10-12",
                "holiday-name": "Fête",
                "holiday-legal_source": "Loi",
            },
            expect=ADMINISTRATOR_POST,
            rightful="administrator",
        ),
    ),
    "backoffice:mailbox_delete_holiday": Entry(
        kwargs=lambda world: {"holiday_id": world.holiday.pk},
        expect=STAFF_POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {}, expect=ADMINISTRATOR_POST, rightful="administrator"),
    ),
    "backoffice:mailbox_delete_closing_day": Entry(
        kwargs=lambda world: {"day_id": world.closing_day.pk},
        expect=STAFF_POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {}, expect=ADMINISTRATOR_POST, rightful="administrator"),
    ),
}
