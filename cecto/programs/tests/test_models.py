"""Model rules of the programmes app: tracks, eligibility rules, time zones."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cecto.programs.models import EligibilityRule, Track, validate_time_zone
from cecto.programs.tests.factories import EligibilityRuleFactory, ProgramFactory, TrackFactory

# --- Track.clean: the threshold policy needs a share -------------------------------------------


@pytest.mark.parametrize("percent", [None, 0, 101, 250])
def test_it_refuses_a_threshold_track_without_a_share_from_1_to_100(percent):
    track = TrackFactory.build(
        partial_credit=Track.PartialCredit.THRESHOLD, partial_credit_threshold_percent=percent
    )

    with pytest.raises(ValidationError) as error:
        track.clean()

    assert error.value.message_dict == {
        "partial_credit_threshold_percent": ["Give a share from 1 to 100 percent."]
    }


@pytest.mark.parametrize("percent", [1, 75, 100])
def test_it_accepts_a_threshold_track_with_a_share(percent):
    track = TrackFactory.build(
        partial_credit=Track.PartialCredit.THRESHOLD, partial_credit_threshold_percent=percent
    )

    track.clean()  # no error

    assert track.partial_credit_threshold_percent == percent


@pytest.mark.parametrize("policy", [Track.PartialCredit.PROPORTIONAL, Track.PartialCredit.NONE])
def test_it_needs_no_share_for_the_other_policies(policy):
    track = TrackFactory.build(partial_credit=policy, partial_credit_threshold_percent=None)

    track.clean()

    assert track.partial_credit == policy


# --- the database check constraint on the threshold share --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("percent", [None, 0, 101])
def test_the_database_refuses_a_threshold_track_without_a_valid_share(percent):
    program = ProgramFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(
            program=program,
            partial_credit=Track.PartialCredit.THRESHOLD,
            partial_credit_threshold_percent=percent,
        )

    assert not Track.objects.filter(program=program).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("percent", [1, 100])
def test_the_database_stores_a_threshold_track_with_a_valid_share(percent):
    track = TrackFactory(
        partial_credit=Track.PartialCredit.THRESHOLD, partial_credit_threshold_percent=percent
    )

    track.refresh_from_db()
    assert track.partial_credit_threshold_percent == percent


@pytest.mark.django_db
def test_the_database_stores_a_proportional_track_without_a_share():
    track = TrackFactory(
        partial_credit=Track.PartialCredit.PROPORTIONAL, partial_credit_threshold_percent=None
    )

    track.refresh_from_db()
    assert track.partial_credit_threshold_percent is None


# --- required_contact_hours --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(14_400, Decimal(240)), (90, Decimal("1.5")), (0, Decimal(0)), (60, Decimal(1))],
)
def test_it_gives_the_required_contact_time_in_hours(minutes, hours):
    track = TrackFactory.build(required_contact_minutes=minutes)

    assert track.required_contact_hours == hours
    assert isinstance(track.required_contact_hours, Decimal)


# --- EligibilityRule.clean, per kind -----------------------------------------------------------


def test_a_district_in_state_rule_needs_a_state():
    rule = EligibilityRuleFactory.build(kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="")

    with pytest.raises(ValidationError) as error:
        rule.clean()

    assert error.value.message_dict == {"state": ["Name the state whose districts are eligible."]}


def test_a_district_in_state_rule_with_a_state_is_valid():
    rule = EligibilityRuleFactory.build(kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="NC")

    rule.clean()

    assert rule.state == "NC"


def test_a_district_role_rule_needs_a_role():
    rule = EligibilityRuleFactory.build(kind=EligibilityRule.Kind.DISTRICT_ROLE, state="", district_roles=[])

    with pytest.raises(ValidationError) as error:
        rule.clean()

    assert error.value.message_dict == {"district_roles": ["List at least one eligible district role."]}


def test_a_district_role_rule_with_a_role_is_valid():
    rule = EligibilityRuleFactory.build(
        kind=EligibilityRule.Kind.DISTRICT_ROLE, state="", district_roles=["superintendent"]
    )

    rule.clean()

    assert rule.district_roles == ["superintendent"]


def test_a_min_years_rule_needs_a_minimum():
    rule = EligibilityRuleFactory.build(kind=EligibilityRule.Kind.MIN_YEARS_IN_ROLE, state="", min_years=None)

    with pytest.raises(ValidationError) as error:
        rule.clean()

    assert error.value.message_dict == {"min_years": ["Give the minimum number of years."]}


@pytest.mark.parametrize("years", [0, 3])
def test_a_min_years_rule_with_a_minimum_is_valid_even_zero(years):
    rule = EligibilityRuleFactory.build(
        kind=EligibilityRule.Kind.MIN_YEARS_IN_ROLE, state="", min_years=years
    )

    rule.clean()

    assert rule.min_years == years


def test_a_rule_is_named_by_its_kind():
    rule = EligibilityRuleFactory.build(kind=EligibilityRule.Kind.DISTRICT_ROLE)

    assert str(rule) == "Holds one of the listed district roles"


# --- validate_time_zone ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["America/New_York", "America/Chicago", "UTC", "Pacific/Honolulu"])
def test_it_accepts_a_time_zone_name(name):
    assert validate_time_zone(name) is None  # raises for a bad name


@pytest.mark.parametrize("name", ["Eastern", "America/Raleigh", "", "america/new_york"])
def test_it_refuses_what_is_not_a_time_zone_name(name):
    with pytest.raises(ValidationError) as error:
        validate_time_zone(name)

    assert error.value.messages == [f"{name!r} is not a time zone name such as America/New_York."]


def test_a_programme_with_a_bad_time_zone_fails_full_clean():
    program = ProgramFactory.build(time_zone="Mars/Olympus_Mons")

    with pytest.raises(ValidationError) as error:
        program.full_clean(validate_unique=False, validate_constraints=False)

    assert "time_zone" in error.value.message_dict
