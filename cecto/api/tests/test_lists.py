"""What each list shows to whom: the cast's administrator, instructor, participant, superintendent
and outsider (conftest.py), and a visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from cecto.api.tests.helpers import credential_row
from cecto.credentials.models import Credential
from cecto.credentials.reports import credentials_listed_for
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory
from cecto.scheduling.models import Enrollment
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"results", "next"}
    return body["results"]


def credit(enrollment: Enrollment, minutes: int, category: str = HoursEntry.Category.INSTRUCTION) -> None:
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=dt.date(2026, 3, 1),
        source_kind=HoursEntry.Source.MANUAL,
        category=category,
        reason="Credit for the test",
        by=None,
    )


# --- programmes ------------------------------------------------------------------------------------


def test_it_lists_public_programmes_with_their_tracks_to_a_visitor(client, cast):
    ProgramFactory(slug="secret-pilot", is_public=False)

    rows = results(client.get("/api/v1/programs/"))

    assert [row["slug"] for row in rows] == sorted([cast.cohort.program.slug, cast.other_cohort.program.slug])
    mine = next(row for row in rows if row["slug"] == cast.cohort.program.slug)
    assert sorted(t["slug"] for t in mine["tracks"]) == ["candidate", "superintendent"]
    assert mine["tracks"][0]["required_contact_hours"] == 240.0
    assert mine["url"] == f"http://testserver/programs/{mine['slug']}/"
    assert mine["cohorts_url"] == f"http://testserver/api/v1/programs/{mine['slug']}/cohorts/"


def test_a_private_programme_is_listed_to_its_administrators_only(client, cast):
    secret = ProgramFactory(slug="secret-pilot", is_public=False)
    boss = UserFactory()
    ProgramAdministratorFactory(program=secret, person=PersonFactory(user=boss))

    client.force_login(cast.admin)
    assert "secret-pilot" not in [row["slug"] for row in results(client.get("/api/v1/programs/"))]
    client.force_login(boss)
    assert "secret-pilot" in [row["slug"] for row in results(client.get("/api/v1/programs/"))]


# --- a programme's classes -------------------------------------------------------------------------


def test_a_programme_lists_the_classes_each_caller_may_see_newest_first(client, cast):
    program = cast.cohort.program
    older = CohortFactory(program=program, slug="class-of-2025", starts_on=dt.date(2025, 2, 11))
    url = f"/api/v1/programs/{program.slug}/cohorts/"

    client.force_login(cast.admin)
    assert [row["slug"] for row in results(client.get(url))] == ["class-of-2026", "class-of-2025"]
    for user in (cast.instructor, cast.participant, cast.superintendent):
        client.force_login(user)
        assert [row["slug"] for row in results(client.get(url))] == ["class-of-2026"]
    client.force_login(cast.outsider)
    assert results(client.get(url)) == []
    assert older.slug == "class-of-2025"


def test_a_class_is_described_with_its_links(client, cast):
    client.force_login(cast.participant)

    (row,) = results(client.get(f"/api/v1/programs/{cast.cohort.program.slug}/cohorts/"))

    assert row == {
        "slug": "class-of-2026",
        "name": cast.cohort.name,
        "program": cast.cohort.program.slug,
        "status": "in_progress",
        "starts_on": "2026-02-10",
        "ends_on": "2026-12-03",
        "capacity": None,
        "url": "http://testserver/cohorts/class-of-2026/",
        "sessions_url": "http://testserver/api/v1/cohorts/class-of-2026/sessions/",
        "enrollments_url": "http://testserver/api/v1/cohorts/class-of-2026/enrollments/",
    }


def test_a_private_programme_is_404_to_an_outsider_as_if_it_did_not_exist(client, cast):
    secret = ProgramFactory(slug="secret-pilot", is_public=False)
    CohortFactory(program=secret)
    client.force_login(cast.outsider)

    hidden = client.get("/api/v1/programs/secret-pilot/cohorts/")
    missing = client.get("/api/v1/programs/no-such-thing/cohorts/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# --- a class's enrollments -------------------------------------------------------------------------


def enrollments_url(cohort) -> str:
    return f"/api/v1/cohorts/{cohort.slug}/enrollments/"


@pytest.mark.parametrize("who", ["admin", "instructor"])
def test_the_class_staff_see_every_enrollment_with_hours_and_ceus(client, cast, who):
    credit(cast.participant_enrollment, 1260)
    credit(cast.participant_enrollment, 45, HoursEntry.Category.MENTORING)
    applicant = EnrollmentFactory(cohort=cast.cohort, status=Enrollment.Status.APPLIED)
    client.force_login(getattr(cast, who))

    rows = results(client.get(enrollments_url(cast.cohort)))

    by_uuid = {row["uuid"]: row for row in rows}
    assert set(by_uuid) == {
        str(e.uuid) for e in (cast.participant_enrollment, cast.superintendent_enrollment, applicant)
    }
    pat = by_uuid[str(cast.participant_enrollment.uuid)]
    assert pat["hours"] == {
        "instruction_minutes": 1260,
        "contact_hours": 21.0,
        "mentoring_minutes": 45,
        "other_minutes": 0,
        "ceus": 2.1,
    }
    assert pat["person"]["full_name"] == "Pat Participant"
    assert pat["person"]["email"] == cast.participant_enrollment.person.email
    assert pat["person"]["uuid"] == str(cast.participant_enrollment.person.uuid)
    assert pat["person"]["organization"] == cast.participant_enrollment.person.organization.name
    assert pat["track"] == "candidate"
    assert pat["status"] == "active"
    assert pat["enrolled_on"] == cast.participant_enrollment.enrolled_on.isoformat()
    assert pat["status_changed_at"] == cast.participant_enrollment.status_changed_at.isoformat()
    assert pat["url"] == f"http://testserver/enrollments/{pat['uuid']}/progress/"
    assert by_uuid[str(cast.superintendent_enrollment.uuid)]["hours"]["ceus"] == 0.0
    assert by_uuid[str(applicant.uuid)]["hours"]["instruction_minutes"] == 0


def test_a_roster_row_without_a_district_says_so(client, cast):
    EnrollmentFactory(cohort=cast.cohort, person__organization=None, person__full_name="Nora Nowhere")
    client.force_login(cast.admin)

    rows = results(client.get(enrollments_url(cast.cohort)))

    (nora,) = [row for row in rows if row["person"]["full_name"] == "Nora Nowhere"]
    assert nora["person"]["organization"] is None


@pytest.mark.parametrize("who", ["participant", "superintendent"])
def test_members_of_the_class_may_not_list_its_enrollments(client, cast, who):
    client.force_login(getattr(cast, who))

    response = client.get(enrollments_url(cast.cohort))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_an_outsider_gets_404_for_a_class_as_for_a_missing_one(client, cast):
    client.force_login(cast.outsider)

    assert client.get(enrollments_url(cast.cohort)).status_code == 404
    assert client.get("/api/v1/cohorts/no-such-class/enrollments/").status_code == 404


def test_enrollments_can_be_filtered_by_status(client, cast):
    EnrollmentFactory(cohort=cast.cohort, status=Enrollment.Status.WITHDRAWN)
    client.force_login(cast.admin)

    rows = results(client.get(enrollments_url(cast.cohort) + "?status=withdrawn"))

    assert [row["status"] for row in rows] == ["withdrawn"]


def test_an_unknown_status_is_a_bad_request(client, cast):
    client.force_login(cast.admin)

    response = client.get(enrollments_url(cast.cohort) + "?status=graduated")

    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["name"] == "status"


# --- the caller's own enrollments -------------------------------------------------------------------


def test_me_lists_only_the_callers_own_enrollments_with_hours(client, cast):
    credit(cast.participant_enrollment, 600)
    later = EnrollmentFactory(person=cast.participant_enrollment.person, cohort=cast.other_cohort)
    client.force_login(cast.participant)

    rows = results(client.get("/api/v1/me/enrollments/"))

    assert [row["uuid"] for row in rows] == [str(cast.participant_enrollment.uuid), str(later.uuid)]
    assert rows[0]["hours"]["instruction_minutes"] == 600
    assert rows[0]["hours"]["ceus"] == 1.0
    assert rows[0]["cohort"]["slug"] == "class-of-2026"
    assert rows[0]["program"]["slug"] == cast.cohort.program.slug
    assert rows[0]["track"] == {"slug": "candidate", "name": cast.participant_enrollment.track.name}


def test_me_is_empty_for_a_login_without_a_person(client, db):
    client.force_login(UserFactory())

    assert results(client.get("/api/v1/me/enrollments/")) == []


# --- a class's sessions ----------------------------------------------------------------------------


def test_everyone_who_may_see_the_class_sees_its_sessions_in_time_order(client, cast):
    late = SessionFactory(cohort=cast.cohort, starts_at=dt.datetime(2026, 5, 1, 14, tzinfo=dt.UTC),
                          ends_at=dt.datetime(2026, 5, 1, 20, tzinfo=dt.UTC), title="May")  # fmt: skip
    early = SessionFactory(cohort=cast.cohort, track=cast.participant_enrollment.track, is_required=True,
                           title="March")  # fmt: skip
    SessionFactory(cohort=cast.other_cohort)
    url = f"/api/v1/cohorts/{cast.cohort.slug}/sessions/"

    for who in ("admin", "instructor", "participant", "superintendent"):
        client.force_login(getattr(cast, who))
        rows = results(client.get(url))
        assert [row["uuid"] for row in rows] == [str(early.uuid), str(late.uuid)]
    assert rows[0]["track"] == "candidate"
    assert rows[0]["is_required"] is True
    assert rows[1]["track"] is None
    assert rows[0]["starts_at"] == "2026-03-10T14:00:00+00:00"
    assert rows[0]["contact_minutes"] == 360
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


# --- credentials -----------------------------------------------------------------------------------


def test_a_holder_lists_their_own_credentials_only(client, cast):
    badge = credential_row(enrollment=cast.participant_enrollment)
    transcript = credential_row(person=cast.participant_enrollment.person, kind=Credential.Kind.TRANSCRIPT)
    credential_row(enrollment=cast.superintendent_enrollment)
    client.force_login(cast.participant)

    rows = results(client.get("/api/v1/credentials/"))

    assert [row["uuid"] for row in rows] == [str(badge.uuid), str(transcript.uuid)]
    assert rows[0]["kind"] == "ob3"
    assert rows[0]["status"] == "active"
    assert rows[0]["person"] == {
        "uuid": str(cast.participant_enrollment.person.uuid),
        "full_name": "Pat Participant",
    }
    assert rows[0]["achievement"] == {"name": cast.participant_enrollment.track.credential_name}
    assert rows[0]["url"].endswith(f"/credentials/{badge.uuid}/")
    assert rows[0]["valid_until"] is None
    assert rows[1]["achievement"] is None


@pytest.mark.parametrize("classes_elsewhere", [0, 12], ids=["large-share", "small-share"])
def test_a_programme_administrator_lists_its_badges_and_their_holders_transcripts(
    client, cast, classes_elsewhere
):
    for _ in range(classes_elsewhere):  # a small share of all classes: gathered through indexes
        CohortFactory()
    pat = cast.participant_enrollment
    badge = credential_row(enrollment=pat, status=Credential.Status.REVOKED)
    transcript = credential_row(person=pat.person, kind=Credential.Kind.TRANSCRIPT)
    elsewhere = EnrollmentFactory(cohort=cast.other_cohort)
    credential_row(enrollment=elsewhere)
    credential_row(person=elsewhere.person, kind=Credential.Kind.TRANSCRIPT)
    client.force_login(cast.admin)

    rows = results(client.get("/api/v1/credentials/"))

    assert [row["uuid"] for row in rows] == [str(badge.uuid), str(transcript.uuid)]
    assert rows[0]["status"] == "revoked"


@pytest.mark.parametrize("who", ["instructor", "superintendent", "outsider"])
def test_others_list_no_credential_of_the_class(client, cast, who):
    credential_row(enrollment=cast.participant_enrollment)
    client.force_login(getattr(cast, who))

    assert results(client.get("/api/v1/credentials/")) == []


def test_a_superuser_lists_every_credential(client, cast):
    credential_row(enrollment=cast.participant_enrollment)
    credential_row(enrollment=EnrollmentFactory(cohort=cast.other_cohort))
    client.force_login(UserFactory(is_superuser=True))

    assert len(results(client.get("/api/v1/credentials/"))) == 2


def test_a_track_without_ceus_shows_none(client, cast):
    track = cast.participant_enrollment.track
    track.ceu_policy = "none"
    track.save()
    credit(cast.participant_enrollment, 600)
    client.force_login(cast.participant)

    (row,) = results(client.get("/api/v1/me/enrollments/"))

    assert row["hours"]["contact_hours"] == 10.0
    assert row["hours"]["ceus"] == 0.0


def test_a_visitor_may_list_no_credential(cast):
    credential_row(enrollment=cast.participant_enrollment)

    assert list(credentials_listed_for(AnonymousUser())) == []
