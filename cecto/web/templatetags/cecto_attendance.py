"""Attendance links on pages other views render (the class page, the home page).

A few queries per page, never one per session: `attendance_links_for` reads who is looking once,
then `session_attendance` picks each row's links from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils import timezone

from cecto.ledger.api import HoursEntry
from cecto.scheduling.models import Cohort, Enrollment, SelfPacedCompletion, Session
from cecto.scheduling.permissions import can_manage_cohort, can_take_attendance
from cecto.scheduling.roles import roles_of
from cecto.scheduling.roll_call import roll_call_sessions_on
from cecto.scheduling.self_paced import completions_of

register = template.Library()

C = SelfPacedCompletion.Status


@dataclass(frozen=True)
class AttendanceLinks:
    """What the viewer may do about the sessions of one class."""

    cohort_slug: str
    is_staff: bool
    can_manage: bool
    enrollment: Enrollment | None
    completions: dict[int, SelfPacedCompletion] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionAttendance:
    session: Session
    roll_call: bool
    files: bool
    check_in: bool
    completions: bool
    mark_complete: bool
    completion: SelfPacedCompletion | None


@register.simple_tag(takes_context=True)
def attendance_links_for(context: dict[str, Any], cohort: Cohort) -> AttendanceLinks:
    user = context["request"].user
    # The roles (read once per request) say whether the viewer is a member at all: staff who
    # are not need no query for an enrollment they do not have.
    enrollment = (
        Enrollment.objects.current()
        .of_person_user(user)
        .filter(cohort=cohort)
        .select_related("track")
        .first()
        if roles_of(user).attends(cohort)
        else None
    )
    return AttendanceLinks(
        cohort_slug=cohort.slug,
        is_staff=can_take_attendance(user, cohort),
        can_manage=can_manage_cohort(user, cohort),
        enrollment=enrollment,
        completions=completions_of(enrollment=enrollment) if enrollment else {},
    )


@register.inclusion_tag("web/partials/_session_attendance.html", takes_context=True)
def session_attendance(context: dict[str, Any], session: Session, links: AttendanceLinks) -> dict[str, Any]:
    scheduled = session.status == Session.Status.SCHEDULED
    self_paced = session.mode == Session.Mode.ONLINE_SELF_PACED
    enrollment = links.enrollment
    mine = enrollment is not None and (session.track_id is None or session.track_id == enrollment.track_id)
    completion = links.completions.get(session.pk)
    now = timezone.now()
    return {
        "csrf_token": context.get("csrf_token"),
        "cohort_slug": links.cohort_slug,
        "item": SessionAttendance(
            session=session,
            roll_call=links.is_staff and scheduled and not self_paced,
            files=links.can_manage and scheduled and not self_paced,
            check_in=links.is_staff
            and scheduled
            and session.mode == Session.Mode.IN_PERSON
            and session.ends_at >= now,
            completions=links.is_staff and self_paced,
            mark_complete=mine
            and scheduled
            and self_paced
            and session.starts_at <= now <= session.ends_at
            and (completion is None or completion.status == C.REJECTED),
            completion=completion if mine else None,
        ),
    }


@register.simple_tag(takes_context=True)
def todays_roll_calls(context: dict[str, Any]) -> list[Session]:
    """Today's sessions with a roll call, in the classes the viewer teaches or administers."""
    return list(roll_call_sessions_on(user=context["request"].user, day=timezone.localdate()))


@register.filter
def attendance_source(source_kind: str) -> str:
    """ "roll_call" → "Roll call", "qr_check_in" → "QR check-in"."""
    choices: Iterable[tuple[str, str]] = HoursEntry.Source.choices
    return dict(choices).get(source_kind, source_kind)
