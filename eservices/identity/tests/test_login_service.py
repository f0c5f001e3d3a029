"""R5 at the service level: accounts are keyed on (issuer, subject), never on the national number across providers."""

import pytest

from eservices.identity import nrn, services
from eservices.identity.models import OidcAccount
from eservices.identity.oidc import Identity, LoginError
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NRN = "85073003328"


def identity(issuer="https://fas.example", subject="s1", number=NRN):
    return Identity(issuer=issuer, subject=subject, acr="urn:be:fedict:iam:fas:Level450", national_number=number)


def test_same_subject_at_another_provider_is_another_account():
    first = services.log_in_with_oidc(identity=identity())
    second = services.log_in_with_oidc(identity=identity(issuer="https://itsme.example"))
    assert first != second
    assert OidcAccount.objects.count() == 2
    assert first.nrn_hash == second.nrn_hash == nrn.lookup_hash(NRN)


def test_a_linked_account_is_never_taken_over_through_the_national_number():
    owner = UserFactory(nrn_hash=nrn.lookup_hash(NRN))
    assert services.log_in_with_oidc(identity=identity()) == owner  # provisioned: linked once
    other = services.log_in_with_oidc(identity=identity(issuer="https://other.example", subject="s9"))
    assert other != owner


def test_disabled_account_cannot_log_in():
    user = services.log_in_with_oidc(identity=identity())
    user.is_active = False
    user.save()
    with pytest.raises(LoginError) as error:
        services.log_in_with_oidc(identity=identity())
    assert error.value.code == "account_disabled"


def test_identity_repr_masks_the_national_number():
    assert NRN not in repr(identity()) and "85.07.30-***.**" in repr(identity())
