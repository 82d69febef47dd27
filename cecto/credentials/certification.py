"""Who in a cohort has earned their track's credential: the facts gathered, the rules applied.

A fixed number of queries for a whole cohort: progress comes from `scheduling.progress_for_cohort`
(set-based ledger sums), eligibility from the programme's rules applied to each person, admission
waivers and existing credentials in one query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cecto.credentials.models import Credential
from cecto.credentials.requirements import CertificationFacts, Decision, evaluate_certification
from cecto.programs.eligibility import Applicant, Eligibility, Rule, evaluate_eligibility
from cecto.scheduling.api import Cohort, Enrollment, progress_for_cohort
from cecto.scheduling.models import EnrollmentStatusChange

WAIVER_PREFIX = "Eligibility waived: "


@dataclass(frozen=True)
class CertificationRow:
    enrollment: Enrollment
    decision: Decision
    credited_minutes: int
    credential: Credential | None  # the Open Badge already issued for this enrollment


def certification_table(*, cohort: Cohort, now: datetime | None = None) -> list[CertificationRow]:
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort)
        .exclude(status=Enrollment.Status.APPLIED)
        .select_related("person__organization", "track__program", "cohort__program")
        .order_by("track__position", "person__full_name", "pk")
    )
    program = cohort.program
    rules = [
        Rule(kind=r.kind, state=r.state, district_roles=tuple(r.district_roles), min_years=r.min_years)
        for r in program.eligibility_rules.all()
    ]
    waivers = dict(
        EnrollmentStatusChange.objects.filter(enrollment__cohort=cohort, reason__startswith=WAIVER_PREFIX)
        .order_by("at")
        .values_list("enrollment_id", "reason")
    )
    issued = {
        credential.enrollment_id: credential
        for credential in Credential.objects.filter(
            enrollment__cohort=cohort, kind=Credential.Kind.OPEN_BADGE
        )
    }
    progress = progress_for_cohort(cohort=cohort, enrollments=enrollments, now=now)
    rows = []
    for enrollment, standing in zip(enrollments, progress, strict=True):
        facts = CertificationFacts(
            enrollment_status=enrollment.status,
            progress=standing.progress,
            eligibility=_eligibility(rules, enrollment),
            eligibility_waiver=waivers.get(enrollment.pk, "").removeprefix(WAIVER_PREFIX),
        )
        credited = standing.balance.instruction_minutes + (
            standing.balance.mentoring_minutes if enrollment.track.mentoring_counts_as_instruction else 0
        )
        rows.append(
            CertificationRow(enrollment, evaluate_certification(facts), credited, issued.get(enrollment.pk))
        )
    return rows


def _eligibility(rules: list[Rule], enrollment: Enrollment) -> Eligibility:
    person = enrollment.person
    organization = person.organization
    return evaluate_eligibility(
        rules,
        Applicant(
            organization_is_district=organization is not None and organization.is_district,
            organization_state=organization.state if organization is not None else "",
            district_role=person.district_role,
            years_in_role=person.years_in_role,
        ),
    )
