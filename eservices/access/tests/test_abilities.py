"""The one place that answers "may X do Y on Z": each persona, each refusal."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from eservices.access import abilities
from eservices.casefiles.models import CaseFile
from eservices.identity.models import Representation


def titles(entries):
    return {entry.document.title: (entry.available, entry.withheld) for entry in entries}


def test_anonymous_sees_nothing(world):
    """An anonymous visitor has no ability and no document."""
    anonymous = AnonymousUser()
    assert not abilities.get_abilities(anonymous, world.case_file)["view"]
    assert abilities.document_index(anonymous, world.case_file) == []
    assert not CaseFile.objects.filter(abilities.case_file_filter(anonymous)).exists()
    with pytest.raises(Http404):
        abilities.document_for_download(anonymous, world.public.pk)


def test_person_without_grant_gets_404(world):
    """A person with no grant reaches neither the case file nor its documents."""
    assert not abilities.get_abilities(world.outsider, world.case_file)["view"]
    with pytest.raises(Http404):
        abilities.case_file_for(world.outsider, world.case_file.pk)
    with pytest.raises(Http404):
        abilities.document_for_download(world.outsider, world.public.pk)


def test_concerned_person_sees_public_and_own_documents_and_withheld_ones(world):
    """The grant covers documents for all parties and those shown to the person; sealed ones are withheld."""
    index = titles(abilities.document_index(world.concerned_user, world.case_file))
    assert index == {
        "Public report": (True, ""),
        "Internal note": (False, "staff_only"),
        "Medical report": (True, ""),
    }
    assert "Secret annex" not in index  # confidential even in existence
    can = abilities.get_abilities(world.concerned_user, world.case_file)
    assert can["view"] and can["download"] and not can["manage"]
    assert can["capacity"] == "concerned_person"


def test_lawyer_sees_what_the_party_they_act_for_sees(world):
    """A lawyer's party represents the concerned person: documents shown to that person are available."""
    index = titles(abilities.document_index(world.lawyer_user, world.case_file))
    assert index["Medical report"] == (True, "")
    assert abilities.document_for_download(world.lawyer_user, world.for_concerned.pk)[1] == "lawyer"


def test_company_representative_sees_chosen_documents_only(world):
    """A grant on chosen documents lists the others as not covered."""
    index = titles(abilities.document_index(world.representative, world.case_file))
    assert index["Public report"] == (True, "")
    assert index["Medical report"] == (False, "other_parties")
    assert index["Internal note"] == (False, "staff_only")
    assert abilities.document_for_download(world.representative, world.public.pk)[1] == "company_representative"


def test_company_representative_without_chosen_document_gets_outside_grant(world):
    world.for_concerned.visibility = "all_parties"
    world.for_concerned.save()
    index = titles(abilities.document_index(world.representative, world.case_file))
    assert index["Medical report"] == (False, "outside_grant")
    with pytest.raises(Http404):
        abilities.document_for_download(world.representative, world.for_concerned.pk)


def test_ended_representation_ends_the_grant(world):
    """A representative's grant works only while the representation is confirmed."""
    Representation.objects.filter(user=world.representative).update(
        status=Representation.Status.ENDED, ended_at=timezone.now()
    )
    assert not abilities.get_abilities(world.representative, world.case_file)["view"]
    with pytest.raises(Http404):
        abilities.document_for_download(world.representative, world.public.pk)


def test_withheld_documents_cannot_be_downloaded(world):
    """Staff-only and other parties' documents give 404 to a person, even with a grant."""
    for document in (world.staff_only, world.secret):
        with pytest.raises(Http404):
            abilities.document_for_download(world.concerned_user, document.pk)
    with pytest.raises(Http404):
        abilities.document_for_download(world.representative, world.for_concerned.pk)


def test_expired_grant_gives_nothing(world):
    """A grant ends by itself after its last day."""
    world.concerned_grant.valid_until = world.yesterday
    world.concerned_grant.save()
    assert not abilities.get_abilities(world.concerned_user, world.case_file)["view"]
    assert not CaseFile.objects.filter(abilities.case_file_filter(world.concerned_user)).exists()


def test_revoked_grant_gives_nothing(world):
    world.lawyer_grant.revoked_at = timezone.now()
    world.lawyer_grant.save()
    assert not abilities.get_abilities(world.lawyer_user, world.case_file)["view"]
    with pytest.raises(Http404):
        abilities.document_for_download(world.lawyer_user, world.public.pk)


def test_staff_of_the_unit_see_everything(world):
    """Staff of the owning unit see every document, even confidential ones, in the staff capacity."""
    index = titles(abilities.document_index(world.clerk, world.case_file))
    assert all(available for available, _ in index.values()) and len(index) == 4
    can = abilities.get_abilities(world.clerk, world.case_file)
    assert can["manage"] and can["set_visibility"] and can["capacity"] == "staff"
    assert abilities.document_for_download(world.clerk, world.secret.pk)[1] == "staff"


def test_staff_of_another_unit_get_404(world):
    """Staff see only their units: another unit's case file is absent for them."""
    assert not abilities.get_abilities(world.other_staff, world.case_file)["view"]
    with pytest.raises(Http404):
        abilities.case_file_for(world.other_staff, world.case_file.pk)
    with pytest.raises(Http404):
        abilities.document_for_download(world.other_staff, world.public.pk)
    assert list(CaseFile.objects.filter(abilities.case_file_filter(world.other_staff))) == [world.other_case_file]


def test_guessed_identifiers_give_404(world):
    for value in (999999, "abc", None):
        with pytest.raises(Http404):
            abilities.document_for_download(world.clerk, value)
        with pytest.raises(Http404):
            abilities.case_file_for(world.clerk, value)


def test_who_looked_is_for_parties_and_those_acting_for_them(world):
    """A grant tied to no party (e.g. a third party with a mandate) does not show who looked at the file."""
    assert abilities.get_abilities(world.lawyer_user, world.case_file)["see_consultations"]
    world.lawyer_grant.party = None
    world.lawyer_grant.save()
    can = abilities.get_abilities(world.lawyer_user, world.case_file)
    assert can["view"] and not can["see_consultations"]


def test_the_suggested_party_is_the_requesters_own_or_their_companys(world):
    from eservices.access import services
    from eservices.identity.models import Capacity

    own = services.submit_request(
        actor=world.concerned_user, reference="CPI/2026/0042", capacity=Capacity.CONCERNED_PERSON
    )
    assert abilities.suggested_party(own) == world.concerned
    company = services.submit_request(
        actor=world.outsider,
        reference="CPI/2026/0042",
        capacity=Capacity.COMPANY_REPRESENTATIVE,
        acting_for="X",
        company=world.company,
    )
    assert abilities.suggested_party(company) == world.concerned_company
    stranger = services.submit_request(actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER)
    assert abilities.suggested_party(stranger) is None
    unmatched = services.submit_request(actor=world.concerned_user, reference="CPI/1", capacity=Capacity.LAWYER)
    assert abilities.suggested_party(unmatched) is None


def test_the_suggested_party_by_national_register_number(world):
    """A party recorded with only a national register number is found from the requester's keyed hash."""
    from eservices.access import services
    from eservices.casefiles import services as casefile_services
    from eservices.identity import nrn
    from eservices.identity.models import Capacity

    heir = casefile_services.add_party(
        actor=world.clerk,
        case_file=world.case_file,
        role="authorised_third_party",
        display_name="Héritier",
        national_number="85.07.30-033.28",
    )
    world.outsider.nrn_hash = nrn.lookup_hash("85073003328")  # identity's User.nrn_hash (login issue)
    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.AUTHORISED_THIRD_PARTY, acting_for="x"
    )
    assert abilities.suggested_party(access_request) == heir
