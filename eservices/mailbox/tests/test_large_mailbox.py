"""A mailbox of 100,000 messages lists its first page and its unread count in a bounded number of queries.
(Timings are measured in bench/mailbox_list.py, never here.)"""

import pytest

from conftest import log_in
from eservices.mailbox import services

from .factories import case_with_parties, send


def fill(box, message, count):
    """``count`` copies of a real message in ``box``, written in bulk."""
    from eservices.mailbox.bench_data import fill_mailbox

    fill_mailbox(box, template=message, count=count)


@pytest.mark.django_db
def test_first_page_and_unread_count_of_100000_messages_in_bounded_queries(client, django_assert_max_num_queries):
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    box = services.mailbox_of_user(person)
    (message,) = send(clerk, case_file, [box], time_limit_months=1)
    fill(box, message, 100_000 - 1)
    log_in(client, person)
    with django_assert_max_num_queries(12):
        response = client.get(f"/fr/mailbox/{box.pk}/")
    assert response.status_code == 200
    assert response.context["unread"] == 1 + 66_666  # every third copy was opened
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(12):
        assert client.get(f"/fr/mailbox/{box.pk}/", {"page": 4000, "q": "Décision"}).status_code == 200
