"""The certification engine: built-in requirement kinds, plug-in kinds, and reasons. Pure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from decimal import Decimal

import pytest

from cecto.credentials import requirements
from cecto.credentials.requirements import (
    CertificationFacts,
    Decision,
    EligibilityRequirement,
    LedgerRequirements,
    Outcome,
    Standing,
    evaluate_certification,
)
from cecto.ledger.requirements import Progress, RequirementResult
from cecto.programs.eligibility import Eligibility

HOURS_MET = RequirementResult("contact_hours", "Contact hours", True, 14_400, 14_400, "Contact hours met.")
HOURS_SHORT = RequirementResult(
    "contact_hours", "Contact hours", False, 13_200, 14_400, "20 more contact hours needed (220 of 240)."
)
SESSIONS_SHORT = RequirementResult(
    "required_sessions", "Required sessions", False, 1, 2, "Still required: Capstone (Nov 5, upcoming)."
)


def progress(*results: RequirementResult) -> Progress:
    return Progress(
        requirements=results,
        ceus=Decimal("24.0"),
        expected_minutes_by_now=0,
        is_on_pace=True,
        can_still_finish=True,
    )


def facts(**changes: object) -> CertificationFacts:
    base = CertificationFacts(
        enrollment_status="active", progress=progress(HOURS_MET), eligibility=Eligibility(is_eligible=True)
    )
    return replace(base, **changes)


# --- Built-in kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["admitted", "active", "completed", "certified"])
def test_standing_is_met_while_admitted(status):
    (outcome,) = Standing().evaluate(facts(enrollment_status=status))

    assert outcome == Outcome("standing", "Standing", True, f"Enrollment {status}.")


@pytest.mark.parametrize("status", ["withdrawn", "applied"])
def test_standing_is_not_met_when_withdrawn_or_only_applied(status):
    (outcome,) = Standing().evaluate(facts(enrollment_status=status))

    assert outcome.is_met is False
    assert outcome.detail == f"The enrollment is {status}, not admitted and active."


def test_eligibility_is_met_by_meeting_the_rules():
    (outcome,) = EligibilityRequirement().evaluate(facts())

    assert outcome == Outcome("eligibility", "Eligibility", True, "Meets the programme's eligibility rules.")


def test_eligibility_is_met_by_a_waiver_given_at_admission():
    ineligible = Eligibility(is_eligible=False, reasons=("Works for no school district.",))

    (outcome,) = EligibilityRequirement().evaluate(
        facts(eligibility=ineligible, eligibility_waiver="Charter network CTO, approved by the board.")
    )

    assert outcome.is_met is True
    assert outcome.detail == "Waived at admission: Charter network CTO, approved by the board."


def test_eligibility_is_not_met_with_every_reason():
    ineligible = Eligibility(
        is_eligible=False,
        reasons=("The district is not in NC.", "2 years in the role; at least 3 are required."),
    )

    (outcome,) = EligibilityRequirement().evaluate(facts(eligibility=ineligible))

    assert outcome.is_met is False
    assert outcome.detail == "The district is not in NC. 2 years in the role; at least 3 are required."


def test_ledger_requirements_are_the_ledgers_results_one_for_one():
    outcomes = LedgerRequirements().evaluate(facts(progress=progress(HOURS_SHORT, SESSIONS_SHORT)))

    assert list(outcomes) == [
        Outcome("contact_hours", "Contact hours", False, "20 more contact hours needed (220 of 240)."),
        Outcome(
            "required_sessions", "Required sessions", False, "Still required: Capstone (Nov 5, upcoming)."
        ),
    ]


# --- Decisions -----------------------------------------------------------------------------------


def test_a_person_who_meets_everything_has_earned_it():
    decision = evaluate_certification(facts())

    assert decision.is_earned is True
    assert decision.missing == ()
    assert [outcome.kind for outcome in decision.outcomes] == ["standing", "eligibility", "contact_hours"]


def test_missing_lists_each_unmet_requirement_with_its_reason():
    decision = evaluate_certification(
        facts(
            enrollment_status="withdrawn",
            progress=progress(HOURS_SHORT, SESSIONS_SHORT),
        )
    )

    assert decision.is_earned is False
    assert decision.missing == (
        "Standing: The enrollment is withdrawn, not admitted and active.",
        "Contact hours: 20 more contact hours needed (220 of 240).",
        "Required sessions: Still required: Capstone (Nov 5, upcoming).",
    )


def test_one_unmet_requirement_is_enough_to_withhold_it():
    decision = evaluate_certification(facts(progress=progress(HOURS_MET, SESSIONS_SHORT)))

    assert decision.is_earned is False
    assert decision.missing == ("Required sessions: Still required: Capstone (Nov 5, upcoming).",)


def test_the_caller_may_choose_the_kinds():
    decision = evaluate_certification(facts(enrollment_status="withdrawn"), kinds=[EligibilityRequirement()])

    assert decision.is_earned is True
    assert [outcome.kind for outcome in decision.outcomes] == ["eligibility"]


def test_no_kinds_means_nothing_is_missing():
    assert Decision(()).is_earned is True


# --- Plug-in kinds -------------------------------------------------------------------------------


class ExamPassed:
    """A later app's kind: reads its own fact from `extra`."""

    key = "exam"

    def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]:
        score = facts.extra.get("exam")
        if score is None:
            return [Outcome(self.key, "Exam", False, "No exam result yet.")]
        if score < 70:
            return [Outcome(self.key, "Exam", False, f"Scored {score}; 70 passes.")]
        return [Outcome(self.key, "Exam", True, f"Passed with {score}.")]


@pytest.fixture
def exam() -> Iterator[ExamPassed]:
    kind = ExamPassed()
    requirements.register(kind)
    yield kind
    requirements.unregister("exam")


def test_a_registered_kind_is_evaluated_from_its_extra_facts(exam):
    passed = evaluate_certification(facts(extra={"exam": 82}))
    failed = evaluate_certification(facts(extra={"exam": 55}))
    missing = evaluate_certification(facts())

    assert passed.is_earned is True
    assert passed.outcomes[-1] == Outcome("exam", "Exam", True, "Passed with 82.")
    assert failed.missing == ("Exam: Scored 55; 70 passes.",)
    assert missing.missing == ("Exam: No exam result yet.",)


def test_an_unregistered_kind_is_no_longer_evaluated():
    requirements.register(ExamPassed())
    requirements.unregister("exam")

    decision = evaluate_certification(facts())

    assert decision.is_earned is True
    assert "exam" not in [outcome.kind for outcome in decision.outcomes]


def test_registering_the_same_kind_twice_is_harmless(exam):
    assert requirements.register(exam) is exam

    assert [outcome.kind for outcome in evaluate_certification(facts(extra={"exam": 90})).outcomes].count(
        "exam"
    ) == 1


def test_a_second_kind_under_a_taken_key_is_refused(exam):
    with pytest.raises(ValueError, match="A requirement kind 'exam' is already registered"):
        requirements.register(ExamPassed())


def test_a_built_in_key_cannot_be_taken_over():
    class FakeStanding:
        key = "standing"

        def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]:
            return []

    with pytest.raises(ValueError, match="'standing' is already registered"):
        requirements.register(FakeStanding())


def test_unregistering_an_unknown_key_does_nothing():
    requirements.unregister("no-such-kind")

    assert [outcome.kind for outcome in evaluate_certification(facts()).outcomes] == [
        "standing",
        "eligibility",
        "contact_hours",
    ]
