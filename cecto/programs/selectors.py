from __future__ import annotations

from django.db import connection

from cecto.core.sql import table
from cecto.core.versions import version_key
from cecto.people.api import Person
from cecto.programs.eligibility import Applicant, Eligibility, Rule, evaluate_eligibility
from cecto.programs.models import Program, Track


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


# Programmes and tracks: how many, and the newest change of each (every save moves `updated_at`,
# a deletion moves a count). Raw SQL: one round trip, two index-free scans of small tables.
_CATALOGUE_VERSION = """SELECT
    (SELECT COUNT(*) FROM {program}), (SELECT MAX(updated_at) FROM {program}),
    (SELECT COUNT(*) FROM {track}), (SELECT MAX(updated_at) FROM {track})"""


def catalogue_version() -> str:
    """The programme catalogue's version, to cache what the programme list shows by (one query):
    it changes as soon as a programme or track is added, saved or deleted. A queryset `update()`
    leaves no trace; the cache's expiry bounds how long that goes unseen."""
    sql = _CATALOGUE_VERSION.format(program=table(Program), track=table(Track))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        marks = cursor.fetchone()
    return version_key("catalogue", marks or ())
