"""HTTP: the pages, the log-in/log-out/password-reset flow and the scoped Django admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.people.models import Person
from cecto.people.tests.factories import AgencyFactory, DistrictFactory, PersonFactory, UserFactory
from cecto.programs.models import EligibilityRule, Program
from cecto.programs.tests.factories import (
    EligibilityRuleFactory,
    ProgramAdministratorFactory,
    ProgramFactory,
    TrackFactory,
)
from cecto.scheduling.models import Cohort, Enrollment, EnrollmentStatusChange
from cecto.scheduling.services import enrollment_status_change
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

S = Enrollment.Status
BEFORE_THE_SESSIONS = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def page(response) -> str:
    return response.content.decode()


def person_of(user) -> Person:
    return Person.objects.get(user=user)


def cohort_url(cohort: Cohort) -> str:
    return reverse("web:cohort-detail", args=[cohort.slug])


def enrollment_url(enrollment: Enrollment) -> str:
    return reverse("web:enrollment-detail", args=[enrollment.uuid])


# --- home --------------------------------------------------------------------------------------


def test_the_public_home_lists_public_programmes_and_invites_to_log_in(client, cast):
    hidden = ProgramFactory(is_public=False, name="Secret Pilot")

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    assert response.templates[0].name == "web/home_public.html"
    html = page(response)
    assert cast.cohort.program.name in html
    assert hidden.name not in html
    assert reverse("login") in html
    assert "Log out" not in html


def test_the_participant_home_shows_their_enrollment_and_class_page(client, cast):
    client.force_login(cast.participant)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = page(response)
    assert "Welcome, Pat Participant" in html
    assert "Your enrollments" in html
    assert enrollment_url(cast.participant_enrollment) in html
    assert cohort_url(cast.cohort) in html
    assert "Classes you teach" not in html
    assert "Classes you administer" not in html
    assert "Your district team" not in html
    assert "Nothing here yet" not in html


def test_an_applicant_home_shows_the_application_without_the_class_page(client, cast):
    user = UserFactory(username="applicant")
    application = EnrollmentFactory(person=PersonFactory(user=user), cohort=cast.cohort, status=S.APPLIED)
    client.force_login(user)

    html = page(client.get(reverse("web:home")))

    assert enrollment_url(application) in html
    assert "Applied" in html
    assert cohort_url(cast.cohort) not in html


def test_the_instructor_home_lists_the_classes_they_teach(client, cast):
    client.force_login(cast.instructor)

    html = page(client.get(reverse("web:home")))

    assert "Classes you teach" in html
    assert cohort_url(cast.cohort) in html
    assert "Your enrollments" not in html
    assert "Classes you administer" not in html


def test_the_administrator_home_lists_the_classes_they_administer(client, cast):
    client.force_login(cast.admin)

    html = page(client.get(reverse("web:home")))

    assert "Classes you administer" in html
    assert cohort_url(cast.cohort) in html
    assert cohort_url(cast.other_cohort) not in html
    assert reverse("admin:index") in html  # staff get the Administration link
    assert "Classes you teach" not in html


def test_the_superintendent_home_links_to_their_district_team(client, cast):
    client.force_login(cast.superintendent)

    html = page(client.get(reverse("web:home")))

    assert "Your district team" in html
    assert reverse("web:district-team") in html
    assert "(1 class)" in html
    assert enrollment_url(cast.superintendent_enrollment) in html


def test_only_the_superintendent_gets_the_district_team_link(client, cast):
    client.force_login(cast.participant)

    assert reverse("web:district-team") not in page(client.get(reverse("web:home")))


def test_a_user_with_nothing_gets_the_empty_state(client, db):
    client.force_login(UserFactory(username="newcomer"))

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = page(response)
    assert "Nothing here yet" in html
    assert reverse("web:program-list") in html
    assert "No upcoming session." in html


def test_the_home_lists_upcoming_sessions_of_visible_classes_only(client, cast):
    SessionFactory(cohort=cast.cohort, title="E-Rate deep dive")
    SessionFactory(cohort=cast.other_cohort, title="Somebody else's session")
    client.force_login(cast.participant)

    with time_machine.travel(BEFORE_THE_SESSIONS, tick=False):
        html = page(client.get(reverse("web:home")))

    assert "E-Rate deep dive" in html
    assert "Somebody else&#x27;s session" not in html
    assert "Somebody else's session" not in html


# --- programmes --------------------------------------------------------------------------------


@pytest.fixture
def hidden_program(cast):
    program = ProgramFactory(is_public=False, name="Secret Pilot", slug="secret-pilot")
    ProgramAdministratorFactory(program=program, person=person_of(cast.admin))
    return program


def test_the_programme_list_is_public_and_hides_non_public_programmes(client, cast, hidden_program):
    response = client.get(reverse("web:program-list"))

    assert response.status_code == 200
    html = page(response)
    assert cast.cohort.program.name in html
    assert "Secret Pilot" not in html


def test_the_administrator_sees_their_non_public_programme_in_the_list(client, cast, hidden_program):
    client.force_login(cast.admin)

    assert "Secret Pilot" in page(client.get(reverse("web:program-list")))


def test_the_programme_list_has_a_query_budget(client, db, django_assert_num_queries):
    for _ in range(5):
        TrackFactory.create_batch(3, program=ProgramFactory())

    # The catalogue's version, the programmes, their tracks; then the version alone (cached).
    with django_assert_num_queries(3):
        first = page(client.get(reverse("web:program-list")))
    with django_assert_num_queries(1):
        again = page(client.get(reverse("web:program-list")))

    assert first == again
    assert first.count('class="card"') == 5


def test_the_programme_list_shows_an_edit_at_once(client, db):
    program = ProgramFactory(name="Old Name")
    track = TrackFactory(program=program, name="Old track")
    client.get(reverse("web:program-list"))

    program.name = "New Name"
    program.save()
    assert "New Name" in page(client.get(reverse("web:program-list")))
    track.name = "New track"
    track.save()
    assert "New track" in page(client.get(reverse("web:program-list")))
    TrackFactory(program=program, name="Added track")
    assert "Added track" in page(client.get(reverse("web:program-list")))
    track.delete()
    assert "New track" not in page(client.get(reverse("web:program-list")))


def test_a_cached_programme_list_never_shows_a_hidden_programme_to_others(client, cast, hidden_program):
    client.force_login(cast.admin)
    assert "Secret Pilot" in page(client.get(reverse("web:program-list")))

    client.force_login(cast.participant)
    assert "Secret Pilot" not in page(client.get(reverse("web:program-list")))
    client.logout()
    assert "Secret Pilot" not in page(client.get(reverse("web:program-list")))


def test_the_programme_list_shows_tracks_in_their_order_without_a_join(
    client, db, django_assert_max_num_queries
):
    program = ProgramFactory()
    TrackFactory(program=program, name="Second track", position=2)
    TrackFactory(program=program, name="First track", position=1)

    with django_assert_max_num_queries(3) as captured:
        html = page(client.get(reverse("web:program-list")))

    assert html.index("First track") < html.index("Second track")
    track_query = captured.captured_queries[-1]["sql"]
    assert "programs_track" in track_query
    assert "JOIN" not in track_query.upper()


def test_the_programme_page_is_public_with_its_numbers_by_class(client, cast):
    enrollment_status_change(enrollment=cast.participant_enrollment, to_status=S.COMPLETED, by=None)

    response = client.get(reverse("web:program-detail", args=[cast.cohort.program.slug]))

    assert response.status_code == 200
    html = page(response)
    assert "numbers by class" in html
    assert 'aria-labelledby="numbers"' in html
    assert cast.cohort.name in html
    numbers = response.context["numbers"]
    assert [(row.cohort_name, row.enrolled, row.completed) for row in numbers] == [(cast.cohort.name, 2, 1)]


def test_a_non_public_programme_is_404_for_the_public_and_strangers(client, cast, hidden_program):
    url = reverse("web:program-detail", args=["secret-pilot"])

    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


def test_a_non_public_programme_is_visible_to_its_administrator(client, cast, hidden_program):
    client.force_login(cast.admin)

    response = client.get(reverse("web:program-detail", args=["secret-pilot"]))

    assert response.status_code == 200
    assert "Secret Pilot" in page(response)


def test_an_unknown_programme_is_404(client, db):
    assert client.get(reverse("web:program-detail", args=["nope"])).status_code == 404


# --- cohort page -------------------------------------------------------------------------------


def test_the_cohort_page_sends_an_anonymous_visitor_to_log_in(client, cast):
    url = cohort_url(cast.cohort)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_a_participant_sees_the_roster_without_e_mails(client, cast):
    client.force_login(cast.participant)

    response = client.get(cohort_url(cast.cohort))

    assert response.status_code == 200
    html = page(response)
    assert "Pat Participant" in html
    assert "Sam Superintendent" in html
    assert person_of(cast.superintendent).email not in html
    assert "mailto:" not in html
    assert ">Status</th>" not in html
    # They may open their own enrollment, not a classmate's.
    assert enrollment_url(cast.participant_enrollment) in html
    assert enrollment_url(cast.superintendent_enrollment) not in html
    assert "Manage enrollments" not in html


@pytest.mark.parametrize("who", ["admin", "instructor"])
def test_staff_see_the_roster_with_e_mails_and_status(client, cast, who):
    client.force_login(getattr(cast, who))

    response = client.get(cohort_url(cast.cohort))

    assert response.status_code == 200
    html = page(response)
    assert f"mailto:{person_of(cast.participant).email}" in html
    assert f"mailto:{person_of(cast.superintendent).email}" in html
    assert ">Status</th>" in html
    assert enrollment_url(cast.superintendent_enrollment) in html


def test_only_the_administrator_gets_the_manage_links(client, cast):
    client.force_login(cast.admin)
    assert "Manage enrollments" in page(client.get(cohort_url(cast.cohort)))

    client.force_login(cast.instructor)
    assert "Manage enrollments" not in page(client.get(cohort_url(cast.cohort)))


def test_the_cohort_page_shows_district_teams_and_sessions(client, cast):
    SessionFactory(cohort=cast.cohort, title="Kick-off in Raleigh")
    client.force_login(cast.participant)

    html = page(client.get(cohort_url(cast.cohort)))

    assert 'District teams <span class="muted">(1)</span>' in html
    assert person_of(cast.participant).organization.name in html
    assert "Kick-off in Raleigh" in html


def test_the_outsider_gets_404_on_the_cohort_page(client, cast):
    client.force_login(cast.outsider)

    assert client.get(cohort_url(cast.cohort)).status_code == 404


def test_an_unknown_cohort_is_404(client, cast):
    client.force_login(cast.admin)

    assert client.get(reverse("web:cohort-detail", args=["no-such-class"])).status_code == 404


def build_cohort_with(size: int, program) -> tuple[Cohort, object]:
    """A class of `size` enrollments over two tracks and several districts, with sessions."""
    cohort = CohortFactory(program=program)
    tracks = [TrackFactory(program=program, position=0), TrackFactory(program=program, position=1)]
    districts = [DistrictFactory() for _ in range(3)]
    member_user = UserFactory()
    for index in range(size):
        person = PersonFactory(
            user=member_user if index == 0 else None,
            organization=districts[index % 3] if index % 5 else AgencyFactory(),
            district_role=(
                Person.DistrictRole.SUPERINTENDENT
                if index % 7 == 1
                else Person.DistrictRole.TECHNOLOGY_DIRECTOR
            ),
        )
        EnrollmentFactory(
            person=person,
            cohort=cohort,
            track=tracks[index % 2],
            status=S.ACTIVE if index % 4 else S.ADMITTED,
        )
    SessionFactory(cohort=cohort, track=tracks[0])
    SessionFactory(cohort=cohort)
    return cohort, member_user


@pytest.mark.parametrize("viewer", ["administrator", "member"])
def test_the_roster_runs_the_same_queries_for_3_and_for_30_enrollments(
    client, db, viewer, django_assert_num_queries
):
    program = ProgramFactory()
    admin_user = UserFactory(username="registrar", is_staff=True)
    ProgramAdministratorFactory(program=program, person=PersonFactory(user=admin_user))
    small, small_member = build_cohort_with(3, program)
    large, large_member = build_cohort_with(30, program)

    client.force_login(admin_user if viewer == "administrator" else small_member)
    with CaptureQueriesContext(connection) as measured:
        small_response = client.get(cohort_url(small))
    assert small_response.status_code == 200
    assert len(small_response.context["roster"]) == 3

    client.force_login(admin_user if viewer == "administrator" else large_member)
    with django_assert_num_queries(len(measured.captured_queries)):
        large_response = client.get(cohort_url(large))

    assert large_response.status_code == 200
    assert len(large_response.context["roster"]) == 30


# --- enrollment page ---------------------------------------------------------------------------


def test_the_owner_sees_their_enrollment_and_its_history(client, cast):
    enrollment_status_change(
        enrollment=cast.participant_enrollment, to_status=S.COMPLETED, by=cast.admin, reason="All hours in."
    )
    client.force_login(cast.participant)

    response = client.get(enrollment_url(cast.participant_enrollment))

    assert response.status_code == 200
    html = page(response)
    assert "Pat Participant" in html
    assert "Active → Completed" in html
    assert "All hours in." in html
    assert "240 contact hours" in html


def test_an_enrollment_without_history_says_so(client, cast):
    client.force_login(cast.participant)

    assert "No change recorded." in page(client.get(enrollment_url(cast.participant_enrollment)))


def test_the_superintendent_sees_a_district_team_members_enrollment(client, cast):
    client.force_login(cast.superintendent)

    response = client.get(enrollment_url(cast.participant_enrollment))

    assert response.status_code == 200
    assert "Pat Participant" in page(response)


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_a_classmate_or_outsider_gets_404_on_someone_elses_enrollment(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(enrollment_url(cast.superintendent_enrollment)).status_code == 404


def test_the_superintendent_gets_404_for_another_districts_classmate(client, cast):
    stranger = EnrollmentFactory(cohort=cast.cohort)
    client.force_login(cast.superintendent)

    assert client.get(enrollment_url(stranger)).status_code == 404


def test_the_enrollment_page_sends_an_anonymous_visitor_to_log_in(client, cast):
    response = client.get(enrollment_url(cast.participant_enrollment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- district team page ------------------------------------------------------------------------


def test_the_superintendent_sees_their_district_team(client, cast):
    other_district = EnrollmentFactory(cohort=cast.cohort, person=PersonFactory(full_name="Olga Elsewhere"))
    client.force_login(cast.superintendent)

    response = client.get(reverse("web:district-team"))

    assert response.status_code == 200
    html = page(response)
    assert person_of(cast.participant).organization.name in html
    assert "Pat Participant" in html
    assert "Sam Superintendent" in html
    assert enrollment_url(cast.participant_enrollment) in html
    assert "Olga Elsewhere" not in html
    assert enrollment_url(other_district) not in html


@pytest.mark.parametrize("who", ["participant", "admin", "outsider"])
def test_someone_leading_no_team_gets_the_explanation(client, cast, who):
    client.force_login(getattr(cast, who))

    response = client.get(reverse("web:district-team"))

    assert response.status_code == 200
    assert "You lead no district team" in page(response)
    assert response.context["teams"] == []


def test_a_login_without_a_person_leads_no_team(client, db):
    client.force_login(UserFactory(username="bare"))

    assert "You lead no district team" in page(client.get(reverse("web:district-team")))


def test_the_district_team_page_needs_a_login(client, db):
    response = client.get(reverse("web:district-team"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- log in, log out, password reset -----------------------------------------------------------


def csrf_token_in(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_log_out_is_a_post_form_with_a_csrf_token(client, cast):
    client.force_login(cast.participant)

    html = page(client.get(reverse("web:home")))

    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input[^>]+csrfmiddlewaretoken', html)
    assert form is not None
    assert form.group(1) == reverse("logout")


def test_log_out_by_get_is_not_allowed(client, cast):
    client.force_login(cast.participant)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.get(cohort_url(cast.cohort)).status_code == 200  # still logged in


def test_log_out_by_post_with_the_token_logs_out(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.participant)
    token = csrf_token_in(page(browser.get(reverse("web:home"))))

    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert browser.get(cohort_url(cast.cohort)).status_code == 302  # back to the log-in page


def test_log_out_without_the_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.participant)

    response = browser.post(reverse("logout"))

    assert response.status_code == 403
    assert browser.get(cohort_url(cast.cohort)).status_code == 200


def test_the_login_page_renders_its_form(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = page(response)
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert reverse("password_reset") in html
    csrf_token_in(html)


def test_logging_in_opens_the_home_page(client, cast):
    response = client.post(
        reverse("login"), {"username": "participant", "password": "pw-for-tests"}, follow=True
    )

    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert response.context["user"] == cast.participant
    assert "Welcome, Pat Participant" in page(response)


def test_logging_in_goes_back_to_the_page_asked_for(client, cast):
    url = cohort_url(cast.cohort)

    response = client.post(
        f"{reverse('login')}?next={url}", {"username": "participant", "password": "pw-for-tests", "next": url}
    )

    assert response.status_code == 302
    assert response.url == url


def test_a_wrong_password_is_refused_with_a_message(client, cast):
    response = client.post(reverse("login"), {"username": "participant", "password": "wrong"})

    assert response.status_code == 200
    assert 'role="alert"' in page(response)
    assert not response.context["user"].is_authenticated


def test_password_reset_mails_a_link_that_sets_a_new_password(client, cast):
    response = client.post(reverse("password_reset"), {"email": "participant@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["participant@example.org"]
    assert "cecto account (participant)" in message.body
    link = re.search(r"http://testserver(/accounts/reset/[^/]+/[^/]+/)", message.body)
    assert link is not None

    set_password_page = client.get(link.group(1), follow=True)
    assert set_password_page.status_code == 200
    set_password_url = set_password_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "a-much-better-pass-2026", "new_password2": "a-much-better-pass-2026"},
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    cast.participant.refresh_from_db()
    assert cast.participant.check_password("a-much-better-pass-2026")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# --- the Django admin, scoped to one's programmes ----------------------------------------------


@pytest.fixture
def admin_client(client, cast):
    cast.admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["scheduling", "programs"])
    )
    client.force_login(cast.admin)
    return client


@pytest.fixture
def foreign_enrollment(cast):
    return EnrollmentFactory(cohort=cast.other_cohort, person=PersonFactory(full_name="Olive Otherprogramme"))


def test_the_administrator_sees_only_their_programmes_cohorts(admin_client, cast):
    response = admin_client.get(reverse("admin:scheduling_cohort_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [cast.cohort]


def test_the_administrator_sees_only_their_programmes_enrollments(admin_client, cast, foreign_enrollment):
    response = admin_client.get(reverse("admin:scheduling_enrollment_changelist"))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {
        cast.participant_enrollment,
        cast.superintendent_enrollment,
    }
    html = page(response)
    assert "Pat Participant" in html
    assert "Olive Otherprogramme" not in html


def test_the_administrator_cannot_open_another_programmes_enrollment(admin_client, foreign_enrollment):
    response = admin_client.get(reverse("admin:scheduling_enrollment_change", args=[foreign_enrollment.pk]))

    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response.url == reverse("admin:index")


def test_a_superuser_sees_every_enrollment_in_the_admin(client, cast, foreign_enrollment):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:scheduling_enrollment_changelist"))

    assert foreign_enrollment in response.context["cl"].result_list


def add_enrollment_form(person, cohort, track, **extra):
    return {
        "person": person.pk,
        "cohort": cohort.pk,
        "track": track.pk,
        "enrolled_on": "2026-02-10",
        "initial_status": S.ADMITTED,
        "eligibility_waiver": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_the_admin_add_form_enrolls_through_the_service(admin_client, cast):
    newcomer = PersonFactory(full_name="Nell Newcomer")
    track = cast.participant_enrollment.track

    response = admin_client.post(
        reverse("admin:scheduling_enrollment_add"), add_enrollment_form(newcomer, cast.cohort, track)
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(person=newcomer)
    assert (enrollment.cohort, enrollment.track, enrollment.status) == (cast.cohort, track, S.ADMITTED)
    assert enrollment.enrolled_on == dt.date(2026, 2, 10)
    change = enrollment.status_changes.get()
    assert (change.from_status, change.to_status, change.by) == ("", S.ADMITTED, cast.admin)


def test_the_admin_add_form_shows_why_a_person_is_ineligible(admin_client, cast):
    EligibilityRuleFactory(
        program=cast.cohort.program, kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="NC"
    )
    outsider = PersonFactory(full_name="Agnes Agency", organization=AgencyFactory())

    response = admin_client.post(
        reverse("admin:scheduling_enrollment_add"),
        add_enrollment_form(outsider, cast.cohort, cast.participant_enrollment.track),
    )

    assert response.status_code == 200
    assert "Agnes Agency is not eligible: Works for no school district." in page(response)
    assert not Enrollment.objects.filter(person=outsider).exists()
    assert not EnrollmentStatusChange.objects.filter(enrollment__person=outsider).exists()


def test_the_admin_add_form_accepts_an_ineligible_person_with_a_waiver(admin_client, cast):
    EligibilityRuleFactory(
        program=cast.cohort.program, kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="NC"
    )
    outsider = PersonFactory(organization=AgencyFactory())

    response = admin_client.post(
        reverse("admin:scheduling_enrollment_add"),
        add_enrollment_form(
            outsider,
            cast.cohort,
            cast.participant_enrollment.track,
            eligibility_waiver="Seconded to a district.",
        ),
    )

    assert response.status_code == 302
    change = EnrollmentStatusChange.objects.get(enrollment__person=outsider)
    assert change.reason == "Eligibility waived: Seconded to a district."


def test_the_admin_add_form_refuses_a_full_class(admin_client, cast):
    Cohort.objects.filter(pk=cast.cohort.pk).update(capacity=2)
    newcomer = PersonFactory()

    response = admin_client.post(
        reverse("admin:scheduling_enrollment_add"),
        add_enrollment_form(newcomer, cast.cohort, cast.participant_enrollment.track),
    )

    assert response.status_code == 200
    assert f"{cast.cohort.name} is full: 2 of 2 places taken." in page(response)
    assert not Enrollment.objects.filter(person=newcomer).exists()


@pytest.fixture
def elsewhere(cast):
    """Name the other programme and its class, to look for them in the pages."""
    Cohort.objects.filter(pk=cast.other_cohort.pk).update(name="Elsewhere Class")
    Program.objects.filter(pk=cast.other_cohort.program_id).update(
        name="Elsewhere Programme", short_name="ELSEWHERE-PRG"
    )
    cast.other_cohort.refresh_from_db()
    return cast.other_cohort


def test_the_admin_add_form_offers_only_the_administrators_classes_and_tracks(admin_client, cast, elsewhere):
    response = admin_client.get(reverse("admin:scheduling_enrollment_add"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields["cohort"].queryset) == [cast.cohort]
    assert set(form.fields["track"].queryset) == set(cast.cohort.program.tracks.all())
    assert "Elsewhere Class" not in page(response)


def test_the_admin_add_form_refuses_a_class_of_another_programme(admin_client, cast, elsewhere):
    newcomer = PersonFactory()
    other_track = elsewhere.enrollments.get().track

    response = admin_client.post(
        reverse("admin:scheduling_enrollment_add"), add_enrollment_form(newcomer, elsewhere, other_track)
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"cohort", "track"}
    assert not Enrollment.objects.filter(person=newcomer).exists()


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:scheduling_cohort_changelist",
        "admin:scheduling_enrollment_changelist",
        "admin:scheduling_session_changelist",
        "admin:programs_track_changelist",
    ],
)
def test_the_changelist_filters_name_no_other_programme(admin_client, cast, elsewhere, changelist):
    # A second programme of the administrator's own, so that the filters have choices to show.
    second = ProgramFactory(short_name="SECOND-PRG")
    ProgramAdministratorFactory(program=second, person=person_of(cast.admin))
    second_enrollment = EnrollmentFactory(cohort=CohortFactory(program=second, name="Second Class"))
    for cohort in (cast.cohort, second_enrollment.cohort, elsewhere):
        SessionFactory(cohort=cohort)

    response = admin_client.get(reverse(changelist))

    assert response.status_code == 200
    html = page(response)
    assert "SECOND-PRG" in html  # the administrator's own programmes are filter choices
    assert str(cast.cohort.program) in html
    assert "ELSEWHERE-PRG" not in html
    assert "Elsewhere Class" not in html


def test_a_superuser_may_pick_any_class_in_the_admin(client, cast):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:scheduling_enrollment_add"))

    assert set(response.context["adminform"].form.fields["cohort"].queryset) == {
        cast.cohort,
        cast.other_cohort,
    }
