"""The pure requirements evaluator: partial credit, and progress judged from plain facts (no database)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from cecto.ledger.requirements import (
    Progress,
    ProgressFacts,
    RequirementResult,
    SessionFact,
    TrackPolicy,
    credit_for,
    evaluate_progress,
)

HOURS_240 = 240 * 60
ENROLLED = dt.date(2026, 2, 1)
ENDS = ENROLLED + dt.timedelta(days=100)  # an even spread: 1% of the requirement per day
MIDWAY = ENROLLED + dt.timedelta(days=50)

CANDIDATE = TrackPolicy(required_minutes=HOURS_240)


def session(title: str = "Kick-off", held_on: dt.date = dt.date(2026, 2, 10), **kwargs) -> SessionFact:
    values = {
        "session_ref": uuid.uuid4(),
        "title": title,
        "held_on": held_on,
        "contact_minutes": 360,
        "credited_minutes": 360,
        "is_required": True,
        **kwargs,
    }
    return SessionFact(**values)


def facts(credited: int = HOURS_240, **kwargs) -> ProgressFacts:
    values = {
        "credited_minutes": credited,
        "today": MIDWAY,
        "enrolled_on": ENROLLED,
        "ends_on": ENDS,
        "remaining_scheduled_minutes": 0,
        **kwargs,
    }
    return ProgressFacts(**values)


def requirement(progress: Progress, key: str) -> RequirementResult:
    (found,) = [r for r in progress.requirements if r.key == key]
    return found


def keys(progress: Progress) -> list[str]:
    return [r.key for r in progress.requirements]


# --- credit_for ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "credited"),
    [
        (360, 360),
        (200, 200),
        (1, 1),
        (0, 0),
        (400, 360),  # more than the contact minutes is clipped to them
        (-15, 0),
    ],
)
def test_proportional_credit_is_the_minutes_attended_clipped_to_the_contact_minutes(attended, credited):
    policy = TrackPolicy(required_minutes=HOURS_240, partial_credit="proportional")

    assert credit_for(policy, contact_minutes=360, attended_minutes=attended) == credited


@pytest.mark.parametrize(
    ("attended", "credited"),
    [
        (270, 360),  # exactly 75%: the whole session
        (269, 0),  # one minute below: nothing
        (300, 360),
        (360, 360),
        (500, 360),
        (0, 0),
    ],
)
def test_threshold_credit_is_all_from_the_share_and_nothing_below(attended, credited):
    policy = TrackPolicy(required_minutes=HOURS_240, partial_credit="threshold", threshold_percent=75)

    assert credit_for(policy, contact_minutes=360, attended_minutes=attended) == credited


def test_threshold_credit_without_a_share_needs_the_whole_session():
    policy = TrackPolicy(required_minutes=HOURS_240, partial_credit="threshold", threshold_percent=None)

    assert credit_for(policy, contact_minutes=360, attended_minutes=359) == 0
    assert credit_for(policy, contact_minutes=360, attended_minutes=360) == 360


@pytest.mark.parametrize(("attended", "credited"), [(360, 360), (400, 360), (359, 0), (180, 0), (0, 0)])
def test_no_partial_credit_needs_the_full_session(attended, credited):
    policy = TrackPolicy(required_minutes=HOURS_240, partial_credit="none")

    assert credit_for(policy, contact_minutes=360, attended_minutes=attended) == credited


def test_an_unknown_partial_credit_policy_raises():
    policy = TrackPolicy(required_minutes=HOURS_240, partial_credit="half")

    with pytest.raises(ValueError, match="Unknown partial-credit policy 'half'"):
        credit_for(policy, contact_minutes=360, attended_minutes=360)


# --- contact hours -------------------------------------------------------------------------------


def test_the_hours_requirement_is_met_at_the_required_minutes():
    progress = evaluate_progress(CANDIDATE, facts(credited=HOURS_240))

    hours = requirement(progress, "contact_hours")
    assert hours.is_met is True
    assert (hours.current, hours.target) == (HOURS_240, HOURS_240)
    assert hours.detail == "Contact hours met."
    assert hours.label == "Contact hours"


def test_the_hours_requirement_says_how_many_hours_are_missing():
    progress = evaluate_progress(CANDIDATE, facts(credited=227 * 60 + 30))

    hours = requirement(progress, "contact_hours")
    assert hours.is_met is False
    assert hours.current == 13_650
    assert hours.detail == "12.5 more contact hours needed (227.5 of 240)."
    assert progress.is_complete is False


def test_one_minute_short_is_not_met_and_never_reads_as_nothing_missing():
    progress = evaluate_progress(CANDIDATE, facts(credited=HOURS_240 - 1))

    assert requirement(progress, "contact_hours").is_met is False
    # The shortfall rounds up and the hours done round down, so the sentence never says "0 more".
    assert requirement(progress, "contact_hours").detail == "0.1 more contact hours needed (239.9 of 240)."


def test_the_hours_detail_rounds_partial_tenths_towards_what_is_still_needed():
    progress = evaluate_progress(CANDIDATE, facts(credited=HOURS_240 - 100))  # 1.67 hours short

    assert requirement(progress, "contact_hours").detail == "1.7 more contact hours needed (238.3 of 240)."


def test_with_nothing_credited_the_whole_requirement_is_missing():
    progress = evaluate_progress(CANDIDATE, facts(credited=0))

    assert requirement(progress, "contact_hours").detail == "240 more contact hours needed (0 of 240)."


# --- required sessions ---------------------------------------------------------------------------


def test_every_required_session_attended_meets_the_sessions_requirement():
    sessions = (session("Kick-off"), session("September", dt.date(2026, 3, 15), credited_minutes=270))

    progress = evaluate_progress(CANDIDATE, facts(sessions=sessions))

    result = requirement(progress, "required_sessions")
    assert result.is_met is True
    assert (result.current, result.target) == (2, 2)
    assert result.detail == "Every required session attended."
    assert progress.missed == ()
    assert progress.is_complete is True


def test_a_required_session_attended_below_the_minimum_share_is_missed():
    short = session("Kick-off", dt.date(2026, 2, 10), credited_minutes=269)  # 75% of 360 is 270

    progress = evaluate_progress(CANDIDATE, facts(sessions=(short,)))

    result = requirement(progress, "required_sessions")
    assert result.is_met is False
    assert (result.current, result.target) == (0, 1)
    assert result.detail == "Still required: Kick-off (Feb 10, missed)."
    assert progress.missed == (short,)
    assert progress.is_complete is False
    assert progress.can_still_finish is False


def test_the_minimum_share_of_a_required_session_is_the_tracks():
    policy = TrackPolicy(required_minutes=HOURS_240, required_session_min_percent=50)

    progress = evaluate_progress(policy, facts(sessions=(session(credited_minutes=180),)))

    assert requirement(progress, "required_sessions").is_met is True


def test_an_excused_session_still_needs_a_make_up_but_does_not_block_finishing():
    excused = session("Security", dt.date(2026, 3, 2), credited_minutes=0, is_excused=True)

    progress = evaluate_progress(CANDIDATE, facts(sessions=(excused,)))

    result = requirement(progress, "required_sessions")
    assert result.is_met is False
    assert result.detail == "Still required: Security (Mar 2, excused, needs a make-up)."
    assert progress.can_still_finish is True


def test_a_made_up_session_counts_as_attended():
    made_up = session("Security", dt.date(2026, 3, 2), credited_minutes=0, is_excused=True, made_up=True)

    progress = evaluate_progress(CANDIDATE, facts(sessions=(made_up,)))

    result = requirement(progress, "required_sessions")
    assert result.is_met is True
    assert result.current == 1
    assert progress.missed == ()
    assert progress.is_complete is True


def test_an_upcoming_required_session_is_outstanding_but_not_missed():
    closing = session("Closing", dt.date(2026, 11, 17), credited_minutes=0, is_upcoming=True)

    progress = evaluate_progress(CANDIDATE, facts(sessions=(session(), closing)))

    result = requirement(progress, "required_sessions")
    assert result.is_met is False
    assert (result.current, result.target) == (1, 2)
    assert result.detail == "Still required: Closing (Nov 17, upcoming)."
    assert progress.missed == ()
    assert progress.can_still_finish is True


def test_the_detail_lists_every_outstanding_session_in_order():
    sessions = (
        session("Kick-off", dt.date(2026, 2, 10), credited_minutes=0),
        session("Security", dt.date(2026, 3, 2), credited_minutes=0, is_excused=True),
        session("Closing", dt.date(2026, 11, 17), credited_minutes=0, is_upcoming=True),
    )

    progress = evaluate_progress(CANDIDATE, facts(sessions=sessions))

    assert requirement(progress, "required_sessions").detail == (
        "Still required: Kick-off (Feb 10, missed); Security (Mar 2, excused, needs a make-up); "
        "Closing (Nov 17, upcoming)."
    )


def test_a_late_enrollee_has_not_missed_the_sessions_before_they_enrolled():
    earlier = session("Kick-off", dt.date(2026, 2, 10), credited_minutes=0, before_enrollment=True)
    later = session("September", dt.date(2026, 9, 15))

    progress = evaluate_progress(CANDIDATE, facts(sessions=(earlier, later)))

    result = requirement(progress, "required_sessions")
    assert result.is_met is True
    assert (result.current, result.target) == (1, 1)
    assert progress.missed == ()
    assert progress.can_still_finish is True


def test_when_every_required_session_came_before_enrollment_there_is_no_sessions_requirement():
    earlier = session("Kick-off", credited_minutes=0, before_enrollment=True)

    progress = evaluate_progress(CANDIDATE, facts(sessions=(earlier,)))

    assert keys(progress) == ["contact_hours"]


def test_a_session_that_is_not_required_adds_no_requirement_but_is_listed_when_missed():
    optional = session("E-Rate update", credited_minutes=0, is_required=False)

    progress = evaluate_progress(CANDIDATE, facts(sessions=(optional,)))

    assert keys(progress) == ["contact_hours"]
    assert progress.missed == (optional,)
    assert progress.is_complete is True
    assert progress.can_still_finish is True


def test_the_none_policy_adds_no_sessions_requirement():
    policy = TrackPolicy(required_minutes=HOURS_240, required_sessions="none")
    missed = session("Kick-off", credited_minutes=0)

    progress = evaluate_progress(policy, facts(sessions=(missed,)))

    assert keys(progress) == ["contact_hours"]
    assert progress.is_complete is True
    assert progress.can_still_finish is True  # nothing it does not require can stop it


# --- pace ----------------------------------------------------------------------------------------


def test_expected_minutes_spread_evenly_from_enrollment_to_graduation():
    progress = evaluate_progress(CANDIDATE, facts(credited=0))

    assert progress.expected_minutes_by_now == HOURS_240 // 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (ENROLLED, 0),
        (ENROLLED - dt.timedelta(days=10), 0),  # not yet enrolled
        (ENROLLED + dt.timedelta(days=1), 144),
        (ENROLLED + dt.timedelta(days=99), 14_256),
        (ENDS, HOURS_240),
        (ENDS + dt.timedelta(days=30), HOURS_240),
    ],
)
def test_expected_minutes_by_now_over_the_year(today, expected):
    progress = evaluate_progress(CANDIDATE, facts(credited=0, today=today))

    assert progress.expected_minutes_by_now == expected


def test_expected_minutes_are_all_required_when_enrollment_and_graduation_coincide():
    progress = evaluate_progress(CANDIDATE, facts(credited=0, enrolled_on=ENDS, today=ENDS))

    assert progress.expected_minutes_by_now == HOURS_240


@pytest.mark.parametrize(("credited", "on_pace"), [(6480, True), (6479, False), (7200, True), (0, False)])
def test_on_pace_means_at_least_90_percent_of_the_expected_minutes(credited, on_pace):
    progress = evaluate_progress(CANDIDATE, facts(credited=credited))

    assert progress.expected_minutes_by_now == 7200
    assert progress.is_on_pace is on_pace


def test_nothing_is_expected_on_the_first_day():
    progress = evaluate_progress(CANDIDATE, facts(credited=0, today=ENROLLED))

    assert progress.is_on_pace is True


# --- can still finish ----------------------------------------------------------------------------


@pytest.mark.parametrize(("remaining", "can_finish"), [(4400, True), (4399, False), (10_000, True)])
def test_it_can_still_finish_when_the_scheduled_minutes_left_cover_the_gap(remaining, can_finish):
    progress = evaluate_progress(CANDIDATE, facts(credited=10_000, remaining_scheduled_minutes=remaining))

    assert progress.can_still_finish is can_finish


def test_a_missed_required_session_means_it_cannot_finish_whatever_the_hours():
    missed = session("Kick-off", credited_minutes=0)

    progress = evaluate_progress(CANDIDATE, facts(credited=HOURS_240, sessions=(missed,)))

    assert requirement(progress, "contact_hours").is_met is True
    assert progress.can_still_finish is False


# --- CEUs ----------------------------------------------------------------------------------------


def test_ceus_are_awarded_in_tenths_of_the_credited_minutes():
    progress = evaluate_progress(CANDIDATE, facts(credited=13_650))  # 22.75 CEU rounds half up

    assert progress.ceus == Decimal("22.8")


def test_no_ceus_when_the_track_awards_none():
    policy = TrackPolicy(required_minutes=20 * 60, awards_ceus=False)

    progress = evaluate_progress(policy, facts(credited=20 * 60))

    assert progress.ceus == Decimal("0.0")
    assert str(progress.ceus) == "0.0"


# --- Progress and RequirementResult --------------------------------------------------------------


def met(key: str, is_met: bool = True) -> RequirementResult:
    return RequirementResult(key, key.title(), is_met, 1, 1, "")


def test_progress_is_complete_only_when_every_requirement_is_met():
    common = {
        "ceus": Decimal("0.0"),
        "expected_minutes_by_now": 0,
        "is_on_pace": True,
        "can_still_finish": True,
    }

    assert Progress(requirements=(met("a"), met("b")), **common).is_complete is True
    assert Progress(requirements=(met("a"), met("b", is_met=False)), **common).is_complete is False
    assert Progress(requirements=(met("a", is_met=False),), **common).is_complete is False


@pytest.mark.parametrize(
    ("current", "target", "percent"),
    [
        (0, 200, 0),
        (50, 200, 25),
        (199, 200, 99),  # rounded down: never 100% before it is met
        (200, 200, 100),
        (500, 200, 100),  # capped
        (0, 0, 100),  # nothing required is all done
        (3, 0, 100),
    ],
)
def test_requirement_percent(current, target, percent):
    assert RequirementResult("k", "K", current >= target, current, target, "").percent == percent
