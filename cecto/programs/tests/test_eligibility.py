"""The pure eligibility rules: plain data in, a verdict with reasons out (no database)."""

from __future__ import annotations

import pytest

from cecto.programs.eligibility import Applicant, Eligibility, Rule, evaluate_eligibility

NC_DISTRICTS = Rule(kind="district_in_state", state="NC")
LEADERS = Rule(kind="district_role", district_roles=("technology_director", "superintendent"))
THREE_YEARS = Rule(kind="min_years_in_role", min_years=3)


def applicant(
    *,
    organization_is_district: bool = True,
    organization_state: str = "NC",
    district_role: str = "technology_director",
    years_in_role: int | None = 5,
) -> Applicant:
    return Applicant(
        organization_is_district=organization_is_district,
        organization_state=organization_state,
        district_role=district_role,
        years_in_role=years_in_role,
    )


def test_it_admits_anyone_when_the_programme_has_no_rule():
    result = evaluate_eligibility([], applicant(organization_is_district=False, years_in_role=None))

    assert result == Eligibility(is_eligible=True, reasons=())


def test_it_admits_someone_who_meets_every_rule():
    result = evaluate_eligibility([NC_DISTRICTS, LEADERS, THREE_YEARS], applicant())

    assert result.is_eligible is True
    assert result.reasons == ()


# --- district_in_state -------------------------------------------------------------------------


def test_it_accepts_a_district_of_the_state():
    assert evaluate_eligibility([NC_DISTRICTS], applicant(organization_state="NC")).is_eligible


def test_it_refuses_someone_who_works_for_no_district():
    result = evaluate_eligibility(
        [NC_DISTRICTS], applicant(organization_is_district=False, organization_state="NC")
    )

    assert result.is_eligible is False
    assert result.reasons == ("Works for no school district.",)


def test_it_refuses_a_district_of_another_state_naming_the_state():
    result = evaluate_eligibility([NC_DISTRICTS], applicant(organization_state="VA"))

    assert result.is_eligible is False
    assert result.reasons == ("The district is not in NC.",)


def test_it_refuses_someone_with_no_organization_at_all():
    result = evaluate_eligibility(
        [NC_DISTRICTS], applicant(organization_is_district=False, organization_state="")
    )

    assert result.reasons == ("Works for no school district.",)


# --- district_role -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["technology_director", "superintendent"])
def test_it_accepts_each_listed_role(role):
    assert evaluate_eligibility([LEADERS], applicant(district_role=role)).is_eligible


def test_it_refuses_an_unlisted_role_listing_the_eligible_ones():
    result = evaluate_eligibility([LEADERS], applicant(district_role="technology_staff"))

    assert result.is_eligible is False
    assert result.reasons == ("Holds none of the eligible roles: technology_director, superintendent.",)


# --- min_years_in_role -------------------------------------------------------------------------


@pytest.mark.parametrize("years", [3, 4, 30])
def test_it_accepts_the_minimum_or_more_years(years):
    assert evaluate_eligibility([THREE_YEARS], applicant(years_in_role=years)).is_eligible


def test_it_refuses_too_few_years_saying_how_many():
    result = evaluate_eligibility([THREE_YEARS], applicant(years_in_role=2))

    assert result.is_eligible is False
    assert result.reasons == ("2 years in the role; at least 3 are required.",)


def test_it_counts_unknown_years_as_zero():
    result = evaluate_eligibility([THREE_YEARS], applicant(years_in_role=None))

    assert result.reasons == ("0 years in the role; at least 3 are required.",)


def test_it_ignores_a_minimum_years_rule_without_a_minimum():
    result = evaluate_eligibility(
        [Rule(kind="min_years_in_role", min_years=None)], applicant(years_in_role=0)
    )

    assert result.is_eligible is True


# --- several rules -----------------------------------------------------------------------------


def test_it_gives_every_unmet_reason_in_the_order_of_the_rules():
    result = evaluate_eligibility(
        [NC_DISTRICTS, LEADERS, THREE_YEARS],
        applicant(organization_state="SC", district_role="other", years_in_role=1),
    )

    assert result.is_eligible is False
    assert result.reasons == (
        "The district is not in NC.",
        "Holds none of the eligible roles: technology_director, superintendent.",
        "1 years in the role; at least 3 are required.",
    )


def test_it_reports_only_the_rules_that_are_unmet():
    result = evaluate_eligibility(
        [NC_DISTRICTS, LEADERS, THREE_YEARS], applicant(district_role="other", years_in_role=10)
    )

    assert result.reasons == ("Holds none of the eligible roles: technology_director, superintendent.",)


def test_it_refuses_an_unknown_rule_kind():
    with pytest.raises(ValueError, match="Unknown eligibility rule kind 'favourite_colour'"):
        evaluate_eligibility([NC_DISTRICTS, Rule(kind="favourite_colour")], applicant())


def test_it_raises_for_an_unknown_kind_even_when_an_earlier_rule_is_unmet():
    with pytest.raises(ValueError, match="Unknown eligibility rule kind"):
        evaluate_eligibility([NC_DISTRICTS, Rule(kind="")], applicant(organization_state="VA"))
