"""CLI: `cecto match --cohort SLUG [--dry-run]` and `cecto send_mentoring_reminders`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from cecto.core.models import AuditEvent
from cecto.mentoring.models import Match, MatchingRun, PinnedPair, Proposal
from cecto.mentoring.selectors import quiet_matches_for
from cecto.mentoring.services import meeting_log
from cecto.mentoring.tests.factories import MatchFactory

NOW = dt.datetime(2026, 4, 20, 16, 0, tzinfo=dt.UTC)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_proposals_and_saves_nothing(scene):
    scene.mentor.capacity = 1
    scene.mentor.save()
    scene.second_mentor.is_available = False
    scene.second_mentor.save()

    out = run("match", "--cohort", scene.cohort.slug, "--dry-run")

    assert out.startswith(f"Matching {scene.cohort.program} {scene.cohort.name} (dry run)\n")
    assert "Rules: mentors with at least 8 years as CTO; weights strand fit 4, district size 1.5" in out
    assert "2 mentees waiting, 2 mentors with 2 places left." in out
    assert "Proposals (1, total score " in out
    assert "Pat Participant                with Mona Mentor" in out
    assert "strand fit 4: 1 of 1 strands asked for: education.; district size" in out
    assert "Unmatched (1):\n  Cleo Classmate\n      - Every mentor allowed for them (1: Mona Mentor)" in out
    assert out.rstrip().endswith("Dry run: nothing was saved.")
    assert not MatchingRun.objects.exists()


def test_without_dry_run_the_run_is_saved_for_the_board(scene):
    out = run("match", "--cohort", scene.cohort.slug)

    run_row = MatchingRun.objects.get()
    assert (
        f"Saved as run {run_row.uuid}. Accept the proposals on /cohorts/{scene.cohort.slug}/matching/." in out
    )
    assert Proposal.objects.filter(run=run_row, status="proposed").count() == 2
    assert run_row.created_by is None
    assert "Unmatched (0):" in out


def test_refused_pins_are_printed(scene):
    PinnedPair.objects.create(cohort=scene.cohort, mentor=scene.mentor, mentee=scene.intake)
    scene.mentor.years_as_cto = 3
    scene.mentor.save()
    out = run("match", "--cohort", scene.cohort.slug, "--dry-run")
    assert "Refused pins (1):\n  The pin breaks a hard constraint: Mona Mentor is 3 years as CTO" in out


def test_an_unknown_or_closed_cohort_is_an_error(scene):
    with pytest.raises(CommandError, match="No cohort has the slug 'nope'"):
        run("match", "--cohort", "nope")
    scene.cohort.status = "cancelled"
    scene.cohort.save()
    with pytest.raises(CommandError, match="is cancelled: it is matched no more"):
        run("match", "--cohort", scene.cohort.slug)


# --- reminders -------------------------------------------------------------------------------------------


@pytest.fixture
def quiet(scene):
    match = MatchFactory(mentee=scene.intake, mentor=scene.mentor, started_on=dt.date(2026, 2, 20))
    meeting_log(
        match=match,
        held_on=dt.date(2026, 3, 2),
        minutes=60,
        strand="education",
        by=None,
        today=dt.date(2026, 3, 2),
    )
    lively = MatchFactory(
        mentee=scene.classmate_intake, mentor=scene.second_mentor, started_on=dt.date(2026, 4, 1)
    )
    return match, lively


def test_the_reminders_email_each_quiet_pair_once_per_quiet_period(scene, quiet):
    match, _ = quiet
    with time_machine.travel(NOW, tick=False):
        out = run("send_mentoring_reminders")

    assert out.splitlines() == [
        f"Reminded {match}: no meeting for 49 days.",
        "1 quiet match(es).",
    ]
    (message,) = mail.outbox
    assert message.to == [
        "person" + message.to[0].removeprefix("person"),
        scene.intake.enrollment.person.email,
    ]
    assert set(message.to) == {scene.mentor.person.email, scene.intake.enrollment.person.email}
    assert "has not logged a meeting for 49 days (since March 2, 2026)" in message.body
    assert "/mentoring/" in message.body
    match.refresh_from_db()
    assert match.last_reminded_on == dt.date(2026, 4, 20)
    assert AuditEvent.objects.filter(verb="mentoring.match_reminded").count() == 1

    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        assert run("send_mentoring_reminders").splitlines() == ["0 quiet match(es)."]
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        # Reminded again after a whole quiet period; the other pair, matched in April, never met.
        assert run("send_mentoring_reminders").splitlines()[-1] == "2 quiet match(es)."
    assert len(mail.outbox) == 3


def test_a_dry_run_of_the_reminders_sends_nothing(scene, quiet):
    with time_machine.travel(NOW, tick=False):
        out = run("send_mentoring_reminders", "--dry-run")
    assert out.startswith("Would remind")
    assert mail.outbox == []


def test_the_quiet_period_is_the_programmes_and_ended_matches_are_never_quiet(scene, quiet):
    match, lively = quiet
    scene.settings.quiet_after_days = 60
    scene.settings.save()
    assert quiet_matches_for(today=dt.date(2026, 4, 20)) == []
    assert [m for m, _ in quiet_matches_for(today=dt.date(2026, 5, 1))] == [match]
    scene.settings.delete()  # the default: 30 days
    Match.objects.filter(pk=match.pk).update(status="ended", ended_on=dt.date(2026, 4, 2))
    quiet_now = quiet_matches_for(today=dt.date(2026, 5, 2))
    assert [(m, last) for m, last in quiet_now] == [(lively, dt.date(2026, 4, 1))]
