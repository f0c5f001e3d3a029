"""A mailbox of 100,000 messages lists its first page and its unread count in a bounded number of queries.
(Timings are measured in bench/mailbox_list.py, never here.)"""

import pytest

from conftest import log_in
from eservices.mailbox import queries as services_queries
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
    # 1 + 66,666 unread (every third copy was opened): counted only up to the bound, then "more than".
    assert response.context["unread"] == services_queries.UNREAD_BOUND and response.context["unread_more"]
    assert len(response.context["page"].object_list) == 25
    older = response.context["page"].older
    for _page in range(3):  # deep pages by cursor cost the same
        with django_assert_max_num_queries(12):
            response = client.get(f"/fr/mailbox/{box.pk}/", {"before": older, "q": "Décision"})
        assert response.status_code == 200 and len(response.context["page"].object_list) == 25
        older = response.context["page"].older
    assert services_queries.unread_count(box, bound=10**6) == 1 + 66_666


@pytest.mark.django_db
def test_filter_choices_are_kept_as_messages_arrive_not_recomputed():
    from eservices.mailbox.models import FilterChoice

    case_file, clerk, person, _lawyer, _document = case_with_parties()
    box = services.mailbox_of_user(person)
    send(clerk, case_file, [box])
    send(clerk, case_file, [box])  # the same choices: nothing added
    assert FilterChoice.objects.filter(mailbox=box).count() == 2
    assert services_queries.filter_choices(box) == (
        [(case_file.pk, case_file.reference)],
        [(case_file.unit.pk, case_file.unit.code)],
    )
