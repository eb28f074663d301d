"""factory_boy factories for the shared house: users, organisations, memberships, areas."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from tsunagu.core.models import Area, Membership, Organization, User

# The password every factory-made user has; tests sign in with it.
DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@city.example.jp")
    display_name = factory.Sequence(lambda n: f"職員 {n}")
    is_active = True

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        """Hashed with the configured hasher (MD5 in tests, see conftest ``fast_password_hashing``)."""
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"テスト{n}課")
    kind = Organization.Kind.CITY_DIVISION


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.PLAN_OFFICER


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    kind = Area.Kind.REGION
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"地域{n}")
