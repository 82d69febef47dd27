from __future__ import annotations

from cecto.people.api import Person
from cecto.programs.eligibility import Applicant, Eligibility, Rule, evaluate_eligibility
from cecto.programs.models import Program


def eligibility_for(*, program: Program, person: Person) -> Eligibility:
    rules = [
        Rule(
            kind=rule.kind,
            state=rule.state,
            district_roles=tuple(rule.district_roles),
            min_years=rule.min_years,
        )
        for rule in program.eligibility_rules.all()
    ]
    organization = person.organization
    applicant = Applicant(
        organization_is_district=organization is not None and organization.is_district,
        organization_state=organization.state if organization is not None else "",
        district_role=person.district_role,
        years_in_role=person.years_in_role,
    )
    return evaluate_eligibility(rules, applicant)
