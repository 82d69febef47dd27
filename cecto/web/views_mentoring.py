"""Mentoring pages: the administrator's matching board and health page, a mentor's or mentee's home,
a match with its meetings and goals, and the mentee's intake. Thin: authorize, parse, call, respond."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cecto.core.errors import DomainError
from cecto.mentoring.forms import AcceptForm, GoalForm, GoalUpdateForm, IntakeForm, MeetingForm, PairForm
from cecto.mentoring.health import mentoring_health_for
from cecto.mentoring.models import Goal, Match, MatchingRun
from cecto.mentoring.permissions import (
    get_cohort_for_matching,
    get_enrollment_for_intake,
    get_goal_for,
    get_match_for,
    get_pair_in,
    get_proposal_in,
    takes_part_in,
)
from cecto.mentoring.selectors import (
    intake_choices_for,
    match_view_for,
    matching_board_for,
    mentoring_home_for,
)
from cecto.mentoring.services import (
    goal_create,
    goal_update,
    matching_run_create,
    meeting_log,
    mentee_intake_save,
    pair_forbid,
    pair_pin,
    pair_unforbid,
    pair_unpin,
    proposal_accept,
    proposals_accept_all,
)
from cecto.web.charts_mentoring import meetings_per_match_chart

# --- the administrator's pages ----------------------------------------------------------------------


@login_required
def matching_board(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_matching(request.user, slug)
    board = matching_board_for(cohort=cohort)
    return render(request, "web/mentoring_board.html", {"cohort": cohort, "board": board})


@require_POST
@login_required
def matching_run(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_matching(request.user, slug)
    try:
        run = matching_run_create(cohort=cohort, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Matching ran: {run.matched_count} of {run.mentees_count} proposed, "
            f"{len(run.unmatched)} left unmatched.",
        )
    return redirect("web:matching-board", slug=cohort.slug)


PAIR_ACTIONS = {
    "pin": "Pinned: {mentee} gets {mentor} in every run.",
    "unpin": "The pin of {mentee} is removed.",
    "forbid": "Forbidden: {mentee} never gets {mentor}.",
    "unforbid": "{mentee} may get {mentor} again.",
}


@require_POST
@login_required
def matching_pair(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    cohort = get_cohort_for_matching(request.user, slug)
    form = PairForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a mentor and a mentee.")
    mentor, intake = get_pair_in(cohort, form.cleaned_data["mentor"], form.cleaned_data["mentee"])
    reason, by = form.cleaned_data["reason"], request.user
    try:
        if action == "pin":
            pair_pin(cohort=cohort, mentor=mentor, intake=intake, by=by, reason=reason)
        elif action == "forbid":
            pair_forbid(cohort=cohort, mentor=mentor, intake=intake, by=by, reason=reason)
        elif action == "unpin":
            pair_unpin(cohort=cohort, intake=intake, by=by)
        else:
            pair_unforbid(cohort=cohort, mentor=mentor, intake=intake, by=by)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        names = {"mentor": mentor.person.full_name, "mentee": intake.enrollment.person.full_name}
        messages.success(request, PAIR_ACTIONS[action].format(**names) + " Run the matching again to see it.")
    return redirect("web:matching-board", slug=cohort.slug)


@require_POST
@login_required
def matching_accept(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_matching(request.user, slug)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a proposal.")
    try:
        if form.cleaned_data["proposal"]:
            proposal_accept(proposal=get_proposal_in(cohort, form.cleaned_data["proposal"]), by=request.user)
            messages.success(request, "The pair is matched.")
        else:
            run = MatchingRun.objects.filter(cohort=cohort).first()
            count = len(proposals_accept_all(run=run, by=request.user)) if run else 0
            messages.success(request, f"{count} pair{'s' if count != 1 else ''} matched.")
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("web:matching-board", slug=cohort.slug)


@login_required
def mentoring_health(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_matching(request.user, slug)
    health = mentoring_health_for(
        cohort=cohort, today=timezone.localdate(timezone.now(), cohort.program.zone)
    )
    context = {
        "cohort": cohort,
        "health": health,
        "chart": meetings_per_match_chart(health.months),
        "chart_title": f"Meetings per match by month, {cohort.program} {cohort.name}",
    }
    return render(request, "web/mentoring_health.html", context)


# --- a mentor's or mentee's pages -----------------------------------------------------------------------


def _meeting_form(match: Match, data: Any = None) -> MeetingForm:
    today = timezone.localdate(timezone.now(), match.cohort.program.zone)
    initial = {"held_on": today, "minutes": 60, "strand": (match.mentee.strands_wanted or ["education"])[0]}
    return MeetingForm(data, initial=initial, auto_id=f"meeting-{match.uuid.hex[:8]}-%s")


def _goal_form(match: Match, data: Any = None) -> GoalForm:
    return GoalForm(data, auto_id=f"goal-{match.uuid.hex[:8]}-%s")


@login_required
def mentoring_home(request: HttpRequest) -> HttpResponse:
    home = mentoring_home_for(user=request.user)
    forms = {view.match.pk: _meeting_form(view.match) for view in (*home.as_mentor, *home.as_mentee)}
    return render(request, "web/mentoring_home.html", {"home": home, "meeting_forms": forms})


def _match_page(
    request: HttpRequest,
    match: Match,
    *,
    meeting_form: MeetingForm | None = None,
    goal_form: GoalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = match_view_for(match=match, user=request.user)
    context = {
        "view": view,
        "can_write": takes_part_in(request.user, match),
        "meeting_form": meeting_form or _meeting_form(match),
        "goal_form": goal_form or _goal_form(match),
    }
    return render(request, "web/mentoring_match.html", context, status=status)


@login_required
def match_detail(request: HttpRequest, match_uuid: UUID) -> HttpResponse:
    return _match_page(request, get_match_for(request.user, match_uuid))


@require_POST
@login_required
def meeting_create(request: HttpRequest, match_uuid: UUID) -> HttpResponse:
    match = get_match_for(request.user, match_uuid, write=True)
    form = _meeting_form(match, request.POST)
    if form.is_valid():
        try:
            meeting_log(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting is logged and its time credited as mentoring.")
            return redirect("web:match-detail", match_uuid=match.uuid)
    return _match_page(request, match, meeting_form=form, status=400)


@require_POST
@login_required
def goal_add(request: HttpRequest, match_uuid: UUID) -> HttpResponse:
    match = get_match_for(request.user, match_uuid, write=True)
    form = _goal_form(match, request.POST)
    if form.is_valid():
        try:
            goal_create(
                match=match,
                strand=form.cleaned_data["strand"],
                text=form.cleaned_data["text"],
                milestones=form.milestone_lines(),
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The goal is set.")
            return redirect("web:match-detail", match_uuid=match.uuid)
    return _match_page(request, match, goal_form=form, status=400)


@require_POST
@login_required
def goal_change(request: HttpRequest, goal_uuid: UUID) -> HttpResponse:
    goal: Goal = get_goal_for(request.user, goal_uuid)
    choices = [(str(m.uuid), m.text) for m in goal.milestones.all()]
    form = GoalUpdateForm(request.POST, milestone_choices=choices)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose milestones of this goal.")
    done = {UUID(value) for value in form.cleaned_data["milestones_done"]}
    goal_update(goal=goal, by=request.user, is_done=form.cleaned_data["is_done"], milestones_done=done)
    messages.success(request, f"“{goal.text}” is updated.")
    return redirect("web:match-detail", match_uuid=goal.match.uuid)


@login_required
def mentee_intake(request: HttpRequest, enrollment_uuid: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_intake(request.user, enrollment_uuid)
    mentors = list(intake_choices_for(enrollment=enrollment))
    initial = IntakeForm.initial_for(getattr(enrollment, "mentee_intake", None))
    form = IntakeForm(request.POST or None, initial=initial, mentors=mentors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mentee_intake_save(
                enrollment=enrollment,
                by=request.user,
                strands_wanted=data["strands_wanted"],
                goals=data["goals"],
                region=data["region"],
                preferred_regions=form.region_list(),
                preferred_mentors=list(data["preferred_mentors"]),
                avoid_mentors=list(data["avoid_mentors"]),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you: your answers will be used in the next matching.")
            return redirect("web:mentoring-home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/mentoring_intake.html", {"enrollment": enrollment, "form": form}, status=status
    )
