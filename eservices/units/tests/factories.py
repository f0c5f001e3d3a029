import factory

from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffMembership, StaffRole, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n}")
    kind = Unit.Kind.SERVICE
    name_fr = factory.LazyAttribute(lambda unit: f"Unité {unit.code}")
    name_nl = factory.LazyAttribute(lambda unit: f"Eenheid {unit.code}")


class StaffFactory(UserFactory):
    """A staff member of one unit: ``StaffFactory(unit=unit, unit__role=StaffRole.REGISTRY_CLERK)``."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def unit(user, create, extracted, **kwargs):
        if create:
            StaffMembership.objects.create(
                user=user, unit=extracted or UnitFactory(), role=kwargs.get("role", StaffRole.AGENT)
            )
