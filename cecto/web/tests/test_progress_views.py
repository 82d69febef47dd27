"""HTTP: the progress page, the cohort dashboard, the district team's hours and the links to them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.people.models import Person
from cecto.people.tests.factories import DistrictFactory, PersonFactory, UserFactory
from cecto.programs.models import Track
from cecto.programs.tests.factories import ProgramAdministratorFactory, TrackFactory
from cecto.scheduling.models import AttendanceRecord, Enrollment
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory
from cecto.scheduling.tests.hours_case import NOW, HoursCase, build_hours_case

S = Enrollment.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def progress_url(enrollment: Enrollment) -> str:
    return reverse("web:enrollment-progress", args=[enrollment.uuid])


def dashboard_url(cohort, query: str = "") -> str:
    return reverse("web:cohort-dashboard", args=[cohort.slug]) + (f"?{query}" if query else "")


def credit(enrollment: Enrollment, minutes: int, on: dt.date = dt.date(2026, 3, 1)) -> HoursEntry:
    return hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=on,
        source_kind=HoursEntry.Source.MANUAL,
        reason="Credit for the test",
        by=None,
    )


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def page_of(response) -> str:
    """The page as served, but for the log-out form's CSRF token (new on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html_of(response))


# --- the progress page -------------------------------------------------------------------------


def test_the_person_sees_their_requirement_bars_and_numbers(client, case):
    client.force_login(case.cast.participant)

    html = squeeze(html_of(client.get(progress_url(case.cast.participant_enrollment))))

    assert '<label for="requirement-contact_hours">Contact hours</label>' in html
    assert (
        '<progress id="requirement-contact_hours" class="bar bar-wide" max="14400" value="1260" '
        'aria-valuetext="21 of 240 hours">8%</progress>'
    ) in html
    assert '<span class="requirement-figures">21 of 240 hours</span>' in html
    assert "219 more contact hours needed (21 of 240)." in html
    assert '<span class="requirement-figures">1 of 3 sessions</span>' in html
    assert "<strong>2.1</strong> CEUs" in html
    assert "Behind pace</span> 21 contact hours done; about 90 expected by now" in html
    assert "No, not as things stand</span> The sessions still to come (12 hours) cannot cover" in html


def test_the_progress_page_draws_hours_by_month_as_an_accessible_chart(client, case):
    client.force_login(case.cast.participant)

    html = squeeze(html_of(client.get(progress_url(case.cast.participant_enrollment))))

    assert '<svg class="bar-chart" role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">Contact hours by month for Pat Participant</title>' in html
    assert "Feb 2026: 6 hours; Mar 2026: 5 hours; Apr 2026: 0 hours; May 2026: 10 hours;" in html
    assert html.count('<rect class="chart-bar"') == 11  # February to December
    assert '<th scope="row">May 2026</th><td class="num">10</td>' in html  # the same numbers, as a table


def test_the_progress_page_lists_sessions_attended_and_missed_with_reasons(client, case):
    client.force_login(case.cast.participant)

    html = squeeze(html_of(client.get(progress_url(case.cast.participant_enrollment))))

    assert "1 attended · 2 missed · 2 still to come (12 contact hours)." in html
    assert "Left early: 5 of 7 hours; 75% is needed for it to count as attended." in html
    assert "Absent (Sick)." in html
    assert 'class="missed-required"' not in html  # nothing required was missed
    assert '<th scope="row">Kick-off (joint) <span class="badge">required</span></th>' in html


def test_a_missed_required_session_is_highlighted_with_its_reason(client, case):
    client.force_login(case.cast.superintendent)

    html = squeeze(html_of(client.get(progress_url(case.cast.superintendent_enrollment))))

    row = re.search(r'<tr class="missed-required">(.*?)</tr>', html)
    assert row is not None
    assert "Kick-off (joint)" in row.group(1)
    assert "Excused (Board meeting); a make-up session is needed." in row.group(1)
    assert '<span class="badge flag-bad">required</span>' in row.group(1)


def test_the_transcript_shows_every_entry_a_running_total_and_the_reversal(client, case):
    client.force_login(case.cast.participant)

    html = squeeze(html_of(client.get(progress_url(case.cast.participant_enrollment))))

    totals = re.findall(r'<td class="num nowrap">([^<]+)</td> <td class="num">([^<]+)</td>', html)
    assert totals == [("+360", "6"), ("+300", "11"), ("+600", "21"), ("+90", "22.5"), ("\u221290", "21")]
    assert '<tr class="reversed">' in html
    assert '<span class="badge">reversed</span> =HYPERLINK(&quot;' in html  # escaped, shown as text
    assert "Reverses the May 20 manual adjustment entry: Entered twice" in html
    csv_url = reverse("web:enrollment-transcript-csv", args=[case.cast.participant_enrollment.uuid])
    assert f'<a href="{csv_url}" download>Download CSV</a>' in html


def test_ceus_are_shown_in_tenths(client, cast):
    credit(cast.participant_enrollment, 14370)  # 239.5 hours
    client.force_login(cast.participant)

    html = html_of(client.get(progress_url(cast.participant_enrollment)))

    assert "<strong>24.0</strong> CEUs" in html
    assert "239.5 of 240 hours" in html


def test_nothing_recorded_yet_shows_zero_ceus_and_empty_states(client, cast):
    client.force_login(cast.participant)

    html = html_of(client.get(progress_url(cast.participant_enrollment)))

    assert "<strong>0.0</strong> CEUs" in html
    assert "No hours recorded yet." in html
    assert "No session missed." in html
    assert "No session attended yet." in html


def test_someone_complete_is_told_so_in_words(client, cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=600, ceu_policy="none")
    user = UserFactory()
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track, person=PersonFactory(user=user))
    credit(enrollment, 600)
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=45,
        occurred_on=dt.date(2026, 4, 1),
        source_kind=HoursEntry.Source.MANUAL,
        category=HoursEntry.Category.MENTORING,
        reason="Mentor meeting",
        by=None,
    )
    client.force_login(user)

    html = squeeze(html_of(client.get(progress_url(enrollment))))

    assert "Complete</span> Every requirement is met." in html
    assert "Yes</span> The contact hours are met." in html
    assert "This track awards no CEUs." in html
    assert "0.75 mentoring and 0 other hours (not contact hours)." in html
    assert '<span class="badge">mentoring</span>' in html
    assert '<span class="badge flag-ok">met</span>' in html


def test_someone_on_pace_who_can_finish_is_told_so(client, cast):
    enrollment = cast.participant_enrollment
    credit(enrollment, 6000)
    SessionFactory(
        cohort=cast.cohort,
        starts_at=dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
        contact_minutes=8400,
    )
    client.force_login(cast.participant)

    html = squeeze(html_of(client.get(progress_url(enrollment))))

    assert "On pace</span> 100 contact hours done" in html
    assert "Yes</span> The sessions still to come (140 hours) can cover the 140 contact hours" in html


@pytest.mark.parametrize("who", ["participant", "superintendent", "admin", "instructor"])
def test_the_person_their_superintendent_and_staff_may_open_the_progress_page(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(progress_url(cast.participant_enrollment)).status_code == 200


def test_a_classmate_gets_404_on_someone_elses_progress(client, cast):
    client.force_login(cast.participant)

    assert client.get(progress_url(cast.superintendent_enrollment)).status_code == 404


def test_the_outsider_gets_404_on_the_progress_page(client, cast):
    client.force_login(cast.outsider)

    assert client.get(progress_url(cast.participant_enrollment)).status_code == 404


def test_another_districts_superintendent_gets_404(client, cast):
    stranger = EnrollmentFactory(cohort=cast.cohort, person=PersonFactory(organization=DistrictFactory()))
    client.force_login(cast.superintendent)

    assert client.get(progress_url(stranger)).status_code == 404


def test_the_progress_page_sends_an_anonymous_visitor_to_log_in(client, cast):
    response = client.get(progress_url(cast.participant_enrollment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_progress_page_runs_the_same_queries_for_2_and_for_40_entries(
    client, cast, django_assert_num_queries
):
    few, many = cast.participant_enrollment, cast.superintendent_enrollment
    for _ in range(2):
        credit(few, 60)
    sessions = [
        SessionFactory(
            cohort=cast.cohort,
            starts_at=dt.datetime(2026, 3, day, 14, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 3, day, 20, tzinfo=dt.UTC),
        )
        for day in range(1, 21)
    ]
    for index, session in enumerate(sessions):
        hours_entry_record(
            person=many.person,
            enrollment_ref=many.uuid,
            session_ref=session.uuid,
            minutes=360,
            occurred_on=dt.date(2026, 3, index + 1),
            source_kind=HoursEntry.Source.ROLL_CALL,
            by=None,
        )
        credit(many, 15, on=dt.date(2026, 4 + index % 6, 1))
        AttendanceRecord.objects.create(
            enrollment=many, session=session, status="present", minutes_attended=360, source_kind="roll_call"
        )
    client.force_login(cast.admin)

    with CaptureQueriesContext(connection) as measured:
        assert client.get(progress_url(few)).status_code == 200
    with django_assert_num_queries(len(measured.captured_queries)):
        response = client.get(progress_url(many))
    # Cached: session, user, person, enrollment, the administrator's roles, the version.
    with django_assert_num_queries(6):
        client.get(progress_url(few))
    with django_assert_num_queries(6):
        cached = client.get(progress_url(many))

    assert len(response.context["page"].transcript) == 40
    # Not cached yet: those six + the page's seven
    assert len(measured.captured_queries) == 13
    assert page_of(cached) == page_of(response)


# --- the transcript CSV: access (its content is in test_exports.py) ----------------------------


def transcript_url(enrollment: Enrollment) -> str:
    return reverse("web:enrollment-transcript-csv", args=[enrollment.uuid])


@pytest.mark.parametrize(
    ("who", "status"), [("participant", 200), ("superintendent", 200), ("outsider", 404)]
)
def test_the_transcript_csv_has_the_progress_pages_access(client, cast, who, status):
    client.force_login(getattr(cast, who))

    assert client.get(transcript_url(cast.participant_enrollment)).status_code == status


def test_a_classmate_gets_404_on_someone_elses_transcript(client, cast):
    client.force_login(cast.participant)

    assert client.get(transcript_url(cast.superintendent_enrollment)).status_code == 404


# --- links to the progress page and the dashboard ----------------------------------------------


def test_the_enrollment_page_links_to_the_progress_page(client, cast):
    client.force_login(cast.participant)

    html = html_of(client.get(reverse("web:enrollment-detail", args=[cast.participant_enrollment.uuid])))

    assert f'<a href="{progress_url(cast.participant_enrollment)}">Progress, hours and transcript</a>' in html


def test_the_home_page_cards_link_to_progress_except_for_an_application(client, cast):
    applied = EnrollmentFactory(
        person=Person.objects.get(user=cast.participant), cohort=cast.other_cohort, status=S.APPLIED
    )
    client.force_login(cast.participant)

    html = html_of(client.get(reverse("web:home")))

    assert f'<a href="{progress_url(cast.participant_enrollment)}">Progress and hours' in html
    assert progress_url(applied) not in html


@pytest.mark.parametrize(("who", "linked"), [("admin", True), ("instructor", True), ("participant", False)])
def test_the_cohort_page_links_staff_to_the_dashboard(client, cast, who, linked):
    client.force_login(getattr(cast, who))

    html = html_of(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert (dashboard_url(cast.cohort) in html) is linked


def test_staff_see_team_members_hours_on_the_cohort_page(client, case):
    client.force_login(case.cast.admin)

    html = html_of(client.get(reverse("web:cohort-detail", args=[case.cast.cohort.slug])))

    assert 'Pat Participant <span class="muted">(21 of 240 hours; behind pace; cannot finish)</span>' in html
    assert "(0 of 240 hours; behind pace; missed 1 joint session; cannot finish)" in html


def test_a_participant_sees_no_hours_on_the_cohort_page(client, case):
    client.force_login(case.cast.participant)

    html = html_of(client.get(reverse("web:cohort-detail", args=[case.cast.cohort.slug])))

    assert "of 240 hours" not in html


# --- the cohort dashboard ----------------------------------------------------------------------


def body_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/enrollments/[^/]+/progress/">([^<]+)</a></th>', html)


def test_the_administrator_sees_one_row_per_current_member(client, case):
    EnrollmentFactory(cohort=case.cast.cohort, status=S.WITHDRAWN, person=PersonFactory(full_name="Wes Gone"))
    client.force_login(case.cast.admin)

    html = squeeze(html_of(client.get(dashboard_url(case.cast.cohort))))

    assert sorted(body_names(html)) == ["Pat Participant", "Sam Superintendent"]
    assert "Wes Gone" not in html
    assert '<progress class="bar" max="14400" value="1260" aria-hidden="true"></progress>' in html
    assert '<span class="nowrap">21 of 240</span>' in html
    assert '<td class="num">2.1</td> <td class="num">1 of 3</td>' in html
    assert '<span class="badge flag-missed">Missed 1 joint session</span>' in html
    assert '<span class="badge flag-behind">Behind pace</span> 2</li>' in html  # the summary
    assert '<th scope="col" aria-sort="ascending">' in html  # by track, by default


@pytest.mark.parametrize("who", ["admin", "instructor"])
def test_staff_may_open_the_dashboard(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(dashboard_url(cast.cohort)).status_code == 200


@pytest.mark.parametrize("who", ["participant", "superintendent"])
def test_a_participant_gets_403_on_the_dashboard(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(dashboard_url(cast.cohort)).status_code == 403


def test_the_outsider_gets_404_on_the_dashboard(client, cast):
    client.force_login(cast.outsider)

    assert client.get(dashboard_url(cast.cohort)).status_code == 404


def test_the_dashboard_sends_an_anonymous_visitor_to_log_in(client, cast):
    response = client.get(dashboard_url(cast.cohort))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_cohort_has_no_dashboard(client, cast):
    client.force_login(cast.admin)

    assert client.get(reverse("web:cohort-dashboard", args=["no-such-class"])).status_code == 404


@pytest.fixture
def ranked(cast):
    """Three more members with 10, 50 and 100 hours."""
    track = cast.participant_enrollment.track
    for name, hours in (("Ann Fifty", 50), ("Bo Hundred", 100), ("Cy Ten", 10)):
        credit(
            EnrollmentFactory(cohort=cast.cohort, track=track, person=PersonFactory(full_name=name)),
            hours * 60,
        )
    return cast


def test_the_dashboard_sorts_by_hours_both_ways(client, ranked):
    client.force_login(ranked.admin)

    descending = squeeze(html_of(client.get(dashboard_url(ranked.cohort, "sort=hours&dir=desc"))))
    ascending = squeeze(html_of(client.get(dashboard_url(ranked.cohort, "sort=hours&dir=asc"))))

    assert body_names(descending) == [
        "Bo Hundred",
        "Ann Fifty",
        "Cy Ten",
        "Pat Participant",
        "Sam Superintendent",
    ]
    assert body_names(ascending) == [
        "Pat Participant",
        "Sam Superintendent",
        "Cy Ten",
        "Ann Fifty",
        "Bo Hundred",
    ]
    hours_header = '<th scope="col" aria-sort="{}" class="num"> <a href="?sort=hours&amp;dir={}"'
    assert hours_header.format("descending", "asc") in descending
    assert hours_header.format("ascending", "desc") in ascending
    assert descending.count("aria-sort=") == 1


def test_the_sort_links_keep_the_filters(client, ranked):
    client.force_login(ranked.admin)

    html = html_of(client.get(dashboard_url(ranked.cohort, "sort=name&dir=desc&flag=behind")))

    assert 'href="?sort=name&amp;dir=asc&amp;flag=behind"' in html
    assert 'href="?sort=ceus&amp;dir=asc&amp;flag=behind"' in html
    assert "?sort=name&amp;dir=desc&amp;flag=behind" in html  # the downloads
    assert body_names(html) == ["Sam Superintendent", "Pat Participant", "Cy Ten", "Ann Fifty"]


def test_an_unknown_sort_or_flag_falls_back_to_the_defaults(client, ranked):
    client.force_login(ranked.admin)

    html = squeeze(html_of(client.get(dashboard_url(ranked.cohort, "sort=salary&dir=sideways&flag=vip"))))

    assert '<th scope="col" aria-sort="ascending"> <a href="?sort=track&amp;dir=desc"' in html
    assert len(body_names(html)) == 5


def test_the_dashboard_filters_by_track_and_by_flag(client, case):
    client.force_login(case.cast.admin)
    supt_track = case.cast.superintendent_enrollment.track

    by_track = html_of(client.get(dashboard_url(case.cast.cohort, f"track={supt_track.slug}")))
    by_flag = html_of(client.get(dashboard_url(case.cast.cohort, "flag=missed")))
    neither = html_of(client.get(dashboard_url(case.cast.cohort, "track=no-such-track")))

    assert body_names(by_track) == ["Sam Superintendent"]
    assert f'<option value="{supt_track.slug}" selected>' in by_track
    assert 'Members <span class="muted">(1 of 2)</span>' in by_track
    assert body_names(by_flag) == ["Sam Superintendent"]
    assert '<option value="missed" selected>' in by_flag
    assert '<a href="?sort=track&amp;dir=asc">Show everyone</a>' in by_flag
    assert "No member matches these filters." in neither


def test_an_empty_class_says_so(client, cast):
    empty = CohortFactory(program=cast.cohort.program)
    client.force_login(cast.admin)

    assert "Nobody is a member of this class yet." in html_of(client.get(dashboard_url(empty)))


def build_class(program, size: int, entries_each: int):
    cohort = CohortFactory(program=program)
    tracks = [TrackFactory(program=program, position=0), TrackFactory(program=program, position=1)]
    required = SessionFactory(cohort=cohort, is_required=True)
    SessionFactory(cohort=cohort, track=tracks[0])
    for index in range(size):
        enrollment = EnrollmentFactory(
            cohort=cohort,
            track=tracks[index % 2],
            person=PersonFactory(organization=DistrictFactory() if index % 3 else None),
        )
        for n in range(entries_each):
            credit(enrollment, 20 + n, on=dt.date(2026, 2 + n % 9, 1))
        AttendanceRecord.objects.create(
            enrollment=enrollment,
            session=required,
            status="excused" if index % 2 else "absent",
            minutes_attended=0,
            source_kind="roll_call",
        )
    return cohort


@pytest.mark.parametrize("suffix", ["dashboard", "dashboard.csv", "dashboard.xlsx"])
def test_the_dashboard_runs_the_same_queries_for_3_and_for_30_enrollments(
    client, db, suffix, django_assert_num_queries
):
    admin_user = UserFactory(is_staff=True)
    program = ProgramAdministratorFactory(person=PersonFactory(user=admin_user)).program
    small = build_class(program, 3, 2)
    large = build_class(program, 30, 15)
    client.force_login(admin_user)
    name = f"web:cohort-{suffix.replace('.', '-')}"

    with CaptureQueriesContext(connection) as measured:
        assert client.get(reverse(name, args=[small.slug]) + "?sort=hours&dir=desc").status_code == 200
    with django_assert_num_queries(len(measured.captured_queries)):
        response = client.get(reverse(name, args=[large.slug]) + "?sort=hours&dir=desc")
    # Cached (the page, or the rows a download writes): the same queries but the roster and rows'.
    with django_assert_num_queries(len(measured.captured_queries) - 6):
        client.get(reverse(name, args=[small.slug]) + "?sort=hours&dir=desc")
    with django_assert_num_queries(len(measured.captured_queries) - 6):
        cached = client.get(reverse(name, args=[large.slug]) + "?sort=hours&dir=desc")

    assert response.status_code == 200
    if suffix == "dashboard":
        assert len(response.context["table"].shown) == 30
        # session, user, person (navigation), cohort, can manage, the version, the roster and
        # the rows' five
        assert len(measured.captured_queries) == 12
        assert page_of(cached) == page_of(response)
    else:
        assert cached.content == response.content


# --- the district team -------------------------------------------------------------------------


def test_the_superintendent_sees_each_members_hours_pace_and_missed_sessions(client, case):
    client.force_login(case.cast.superintendent)

    html = squeeze(html_of(client.get(reverse("web:district-team"))))

    assert '<th scope="col" class="num">Contact hours</th>' in html
    assert '<span class="nowrap">21 of 240</span></span></td><td class="num">2.1</td>' in html
    assert "Kick-off (joint) (Feb 10), excused" in html
    assert '<span class="badge flag-behind">Behind pace</span>' in html
    for enrollment in (case.cast.participant_enrollment, case.cast.superintendent_enrollment):
        assert f'<a href="{progress_url(enrollment)}">Progress<span class="visually-hidden"> of ' in html


def test_a_team_member_on_pace_is_shown_so(client, cast):
    track = TrackFactory(
        program=cast.cohort.program, required_contact_minutes=600, audience=Track.Audience.OTHER
    )
    cast.participant_enrollment.track = track
    cast.participant_enrollment.save()
    credit(cast.participant_enrollment, 300)
    credit(cast.superintendent_enrollment, 14400)
    client.force_login(cast.superintendent)

    html = html_of(client.get(reverse("web:district-team")))

    assert '<span class="badge flag-ok">On pace</span>' in html
    assert '<span class="badge flag-ok">Complete</span>' in html


def test_the_district_team_page_runs_the_same_queries_for_2_and_for_12_members(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.superintendent)
    with CaptureQueriesContext(connection) as measured:
        html_of(client.get(reverse("web:district-team")))

    district = Person.objects.get(user=cast.superintendent).organization
    for _ in range(10):
        member = EnrollmentFactory(
            cohort=cast.cohort,
            track=cast.participant_enrollment.track,
            person=PersonFactory(organization=district),
        )
        for n in range(5):
            credit(member, 30, on=dt.date(2026, 2 + n, 1))
    with django_assert_num_queries(len(measured.captured_queries)):
        response = client.get(reverse("web:district-team"))

    assert len(response.context["teams"][0].rows) == 12
