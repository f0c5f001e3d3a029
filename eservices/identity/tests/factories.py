import factory
from django.utils import timezone

from eservices.identity.models import Company, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    email_confirmed_at = factory.LazyFunction(timezone.now)  # alerts go only to a confirmed address
    password = factory.django.Password(None)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    company_number = factory.Sequence(lambda n: f"04{n:08d}")
    name = factory.Faker("company", locale="fr_BE")
