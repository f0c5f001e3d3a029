"""Filling a mailbox with many messages at once, for the large-mailbox test and bench/mailbox_list.py."""

import datetime

from django.db import connection, transaction

from .models import Message

BATCH = 10_000


@transaction.atomic
def fill_mailbox(mailbox, *, template, count, read_every=3):
    """Write ``count`` messages like ``template`` into ``mailbox``, one a minute back in time; every
    ``read_every``-th one is opened. Raw bulk inserts (model instances would take most of the time): no evidence,
    no alert, only load."""
    fields = [
        "mailbox",
        "unit",
        "case_file",
        "kind",
        "subject",
        "text",
        "sent_by",
        "made_available_at",
        "deadline",
        "opened_at",
        "time_limit_months",
        "time_limit_days",
        "time_limit_start",
        "time_limit_started_by",
    ]
    columns = [Message._meta.get_field(name).column for name in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 # nosec B608 - model names, values as parameters
        connection.ops.quote_name(Message._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    adapt = connection.ops.adapt_datetimefield_value
    opened = adapt(template.made_available_at)
    deadline = connection.ops.adapt_datefield_value(template.deadline)
    rows = []
    with connection.cursor() as cursor:
        for number in range(count):
            rows.append(
                (
                    mailbox.pk,
                    template.unit_id,
                    template.case_file_id,
                    template.kind,
                    f"{template.subject} {number}",
                    template.text,
                    template.sent_by_id,
                    adapt(template.made_available_at - datetime.timedelta(minutes=number + 1)),
                    deadline,
                    opened if read_every and number % read_every == 0 else None,
                    template.time_limit_months,
                    template.time_limit_days,
                    template.time_limit_start,
                    template.time_limit_started_by,
                )
            )
            if len(rows) == BATCH:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
