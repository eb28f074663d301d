"""Consent (同意): the latest record in force whose recipient covers the organisation decides."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tsunagu.core.models import Organization, User
from tsunagu.core.services import history_for
from tsunagu.core.tests.factories import OrganizationFactory
from tsunagu.people import services
from tsunagu.people.models import Consent

from .factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

Purpose = Consent.Purpose
Recipient = Consent.RecipientClass
SHARING = Purpose.INFORMATION_SHARING


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def division() -> Organization:
    return OrganizationFactory(name="障害福祉課", kind=Organization.Kind.CITY_DIVISION)


@pytest.fixture
def care_centre() -> Organization:
    return OrganizationFactory(name="地域包括支援センター腰越", kind=Organization.Kind.CARE_CENTRE)


@pytest.fixture
def council() -> Organization:
    return OrganizationFactory(name="鎌倉市社会福祉協議会", kind=Organization.Kind.COUNCIL)


def test_nothing_recorded_decides_nothing(division: Organization) -> None:
    person = PersonFactory()
    assert Consent.objects.current_for(person, SHARING, division) is None


def test_a_refusal_is_an_answer(division: Organization) -> None:
    person = PersonFactory()
    refusal = ConsentFactory(person=person, given=False)
    decided = Consent.objects.current_for(person, SHARING, division)
    assert decided == refusal
    assert decided is not None and not decided.given


def test_the_latest_record_decides(division: Organization) -> None:
    person = PersonFactory()
    ConsentFactory(person=person, given=True, recorded_at=days_ago(30))
    refusal = ConsentFactory(person=person, given=False, recorded_at=days_ago(1))
    assert Consent.objects.current_for(person, SHARING, division) == refusal
    # …and as things stood before the refusal, the consent decided.
    decided_then = Consent.objects.current_for(person, SHARING, division, days_ago(10))
    assert decided_then is not None and decided_then.given


def test_a_record_counts_only_for_its_purpose(division: Organization) -> None:
    person = PersonFactory()
    ConsentFactory(person=person, purpose=Purpose.ROSTER_LISTING)
    assert Consent.objects.current_for(person, SHARING, division) is None


def test_a_withdrawn_record_no_longer_decides(
    division: Organization, protecting_worker: User
) -> None:
    person = PersonFactory()
    consent = services.record_consent(
        person,
        purpose=SHARING,
        given=True,
        method=Consent.Method.ORAL,
        actor=protecting_worker,
        recorded_at=days_ago(5),
    )
    services.withdraw_consent(consent, actor=protecting_worker, reason="本人の申出")
    assert Consent.objects.current_for(person, SHARING, division) is None
    # Before the withdrawal it decided.
    assert Consent.objects.current_for(person, SHARING, division, days_ago(1)) == consent
    with pytest.raises(ValueError):
        services.withdraw_consent(consent, actor=protecting_worker)


def test_withdrawing_the_latest_record_lets_an_older_one_decide_again(
    division: Organization,
) -> None:
    """As specified: withdrawal removes a record; to say no now, record a refusal."""
    person = PersonFactory()
    older = ConsentFactory(person=person, given=True, recorded_at=days_ago(30))
    newer = ConsentFactory(
        person=person,
        given=True,
        recipient_class=Recipient.SPECIFIC_ORGANIZATION,
        recipient_organization=division,
        recorded_at=days_ago(2),
    )
    assert Consent.objects.current_for(person, SHARING, division) == newer
    newer.withdrawn_at = timezone.now()
    newer.save()
    assert Consent.objects.current_for(person, SHARING, division) == older


def test_a_record_not_yet_made_does_not_decide(division: Organization) -> None:
    person = PersonFactory()
    ConsentFactory(person=person, recorded_at=timezone.now() + datetime.timedelta(days=1))
    assert Consent.objects.current_for(person, SHARING, division) is None


@pytest.mark.parametrize(
    ("recipient", "covers_division", "covers_care_centre", "covers_council"),
    [
        (Recipient.ANY, True, True, True),
        (Recipient.CITY_DIVISION, True, False, False),
        (Recipient.OUTSIDE_AGENCY, False, True, False),
        (Recipient.SOCIAL_WELFARE_COUNCIL, False, False, True),
        (Recipient.NEIGHBOURHOOD_ASSOCIATION, False, False, False),
        (Recipient.WELFARE_COMMISSIONER, False, False, False),
    ],
)
def test_a_recipient_class_covers_its_kind_of_organisation(
    recipient: str,
    covers_division: bool,
    covers_care_centre: bool,
    covers_council: bool,
    division: Organization,
    care_centre: Organization,
    council: Organization,
) -> None:
    person = PersonFactory()
    ConsentFactory(person=person, recipient_class=recipient)
    decided = {
        organization: Consent.objects.current_for(person, SHARING, organization) is not None
        for organization in (division, care_centre, council)
    }
    assert decided == {
        division: covers_division,
        care_centre: covers_care_centre,
        council: covers_council,
    }


def test_a_class_without_organisations_is_asked_by_name() -> None:
    person = PersonFactory()
    consent = ConsentFactory(
        person=person,
        purpose=Purpose.ROSTER_SHARING_NORMAL_TIMES,
        recipient_class=Recipient.NEIGHBOURHOOD_ASSOCIATION,
    )
    association = OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    found = Consent.objects.current_for(
        person,
        Purpose.ROSTER_SHARING_NORMAL_TIMES,
        association,
        recipient_class=Recipient.NEIGHBOURHOOD_ASSOCIATION,
    )
    assert found == consent
    assert (
        Consent.objects.current_for(
            person,
            Purpose.ROSTER_SHARING_NORMAL_TIMES,
            recipient_class=Recipient.WELFARE_COMMISSIONER,
        )
        is None
    )
    # Without saying what it is, a community group is covered only by "any".
    assert (
        Consent.objects.current_for(person, Purpose.ROSTER_SHARING_NORMAL_TIMES, association)
        is None
    )


def test_a_specific_organisation_covers_that_organisation_only(
    division: Organization, care_centre: Organization
) -> None:
    person = PersonFactory()
    consent = ConsentFactory(
        person=person,
        recipient_class=Recipient.SPECIFIC_ORGANIZATION,
        recipient_organization=care_centre,
    )
    assert Consent.objects.current_for(person, SHARING, care_centre) == consent
    other_centre = OrganizationFactory(kind=Organization.Kind.CARE_CENTRE)
    assert Consent.objects.current_for(person, SHARING, other_centre) is None
    assert Consent.objects.current_for(person, SHARING, division) is None


def test_a_specific_refusal_beats_an_older_general_consent(
    division: Organization, care_centre: Organization
) -> None:
    person = PersonFactory()
    ConsentFactory(person=person, given=True, recorded_at=days_ago(30))
    ConsentFactory(
        person=person,
        given=False,
        recipient_class=Recipient.SPECIFIC_ORGANIZATION,
        recipient_organization=care_centre,
        recorded_at=days_ago(1),
    )
    refused = Consent.objects.current_for(person, SHARING, care_centre)
    assert refused is not None and not refused.given
    allowed = Consent.objects.current_for(person, SHARING, division)
    assert allowed is not None and allowed.given


def test_a_named_organisation_needs_the_specific_class(division: Organization) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError):
        services.record_consent(
            person,
            purpose=SHARING,
            given=True,
            method=Consent.Method.WRITTEN,
            actor=None,
            recipient_class=Recipient.CITY_DIVISION,
            recipient_organization=division,
        )
    with pytest.raises(ValidationError):
        services.record_consent(
            person,
            purpose=SHARING,
            given=True,
            method=Consent.Method.WRITTEN,
            actor=None,
            recipient_class=Recipient.SPECIFIC_ORGANIZATION,
        )


def test_recording_and_withdrawing_are_audited_on_the_person(
    protecting_worker: User, care_centre: Organization
) -> None:
    person = PersonFactory()
    consent = services.record_consent(
        person,
        purpose=Purpose.REFERRAL,
        given=True,
        method=Consent.Method.WRITTEN,
        actor=protecting_worker,
        recipient_class=Recipient.SPECIFIC_ORGANIZATION,
        recipient_organization=care_centre,
        note="相談受付票に署名",
    )
    assert consent.recorded_by == protecting_worker
    services.withdraw_consent(consent, actor=protecting_worker, reason="誤登録")
    recorded, withdrawn = history_for(person).order_by("at")
    assert recorded.action == "people.consent.recorded"
    assert recorded.data["recipient_organization"] == care_centre.name
    assert recorded.data["given"] is True
    assert withdrawn.action == "people.consent.withdrawn"
    assert withdrawn.data["reason"] == "誤登録"


def test_it_decides_for_many_persons_in_one_query(
    division: Organization, django_assert_num_queries: object
) -> None:
    consenting, refusing, silent = PersonFactory(), PersonFactory(), PersonFactory()
    ConsentFactory(person=consenting, given=False, recorded_at=days_ago(3))
    ConsentFactory(person=consenting, given=True, recorded_at=days_ago(1))
    ConsentFactory(person=refusing, given=False)
    with django_assert_num_queries(1):  # type: ignore[operator]
        decided = Consent.objects.current_for_many(
            [consenting, refusing, silent], SHARING, division
        )
    assert decided[consenting.pk].given
    assert not decided[refusing.pk].given
    assert silent.pk not in decided
