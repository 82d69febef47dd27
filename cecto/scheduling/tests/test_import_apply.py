"""Applying files to a session: matching, all or nothing, idempotence, and the review queue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cecto.core.errors import DomainError
from cecto.core.models import AuditEvent
from cecto.core.tests.factories import UserFactory
from cecto.ledger.api import HoursEntry, balance_for, net_minutes
from cecto.scheduling.attendance import (
    AttendanceRowRefused,
    attendance_record_many,
)
from cecto.scheduling.imports import apply
from cecto.scheduling.imports.apply import (
    UnmatchedRefused,
    attendance_csv_import,
    meeting_report_import,
    unmatched_participant_dismiss,
    unmatched_participant_resolve,
)
from cecto.scheduling.imports.reading import ImportFailed
from cecto.scheduling.models import (
    AttendanceImport,
    AttendanceRecord,
    Enrollment,
    Session,
    UnmatchedParticipant,
)
from cecto.scheduling.tests.factories import SessionFactory
from cecto.scheduling.tests.import_workshop import ENDS_AT, STARTS_AT, Workshop, make_workshop, sample

A = AttendanceRecord.Status
AFTER_THE_SESSION = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


@pytest.fixture
def workshop(db) -> Workshop:
    return make_workshop()


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk")


def record_of(enrollment: Enrollment, session: Session) -> AttendanceRecord | None:
    return AttendanceRecord.objects.filter(enrollment=enrollment, session=session).first()


def credited(enrollment: Enrollment, session: Session) -> int:
    return net_minutes(enrollment_ref=enrollment.uuid, session_ref=session.uuid)


def zoom(*rows: str) -> bytes:
    return (ZOOM_HEADER + "".join(row + "\n" for row in rows)).encode()


def import_zoom_sample(workshop: Workshop, by=None):
    return meeting_report_import(
        session=workshop.session,
        file_name="zoom_participants_with_summary.csv",
        data=sample("zoom_participants_with_summary.csv"),
        by=by,
    )


def ledger_state() -> list[tuple]:
    return list(
        HoursEntry.objects.order_by("pk").values_list("pk", "enrollment_ref", "minutes", "source_kind")
    )


# --- meeting reports ---------------------------------------------------------------------------


def test_it_imports_a_zoom_report_merging_rejoins_and_clipping_to_the_session(workshop, clerk):
    result = import_zoom_sample(workshop, by=clerk)

    session = workshop.session
    pat, jose, sam = (record_of(e, session) for e in (workshop.pat, workshop.jose, workshop.sam))
    # Pat: laptop 8:58-10:31 and phone 10:29-12:02 overlap: one stretch, clipped to 9:00-12:00.
    assert (pat.status, pat.minutes_attended, pat.source_kind) == (A.PRESENT, 180, "meeting_report")
    # José: 9:14:30-10:00 and 10:20-12:00 (clipped from 12:00:30): 45.5 + 100 minutes.
    assert (jose.status, jose.minutes_attended) == (A.LATE, 145)
    # Sam, renamed in Zoom ("Superintendent, Sam (Sam Superintendent)"), matched by name.
    assert (sam.status, sam.minutes_attended) == (A.LEFT_EARLY, 149)
    assert pat.recorded_by == clerk
    assert [credited(e, session) for e in (workshop.pat, workshop.jose, workshop.sam)] == [180, 145, 149]
    assert (result.created, result.changed, result.unchanged) == (3, 0, 0)
    assert (result.rows_total, result.skipped, result.staff) == (10, 2, 1)
    assert [(u.name, u.minutes, u.line) for u in result.unmatched] == [
        ("Chris Lee", 176, 12),
        ("Call-in User_1", 90, 13),
    ]
    assert result.unmatched[0].reason == "2 people in the class have this name"
    assert result.summary() == (
        "zoom_participants_with_summary.csv: 10 rows read; 3 people recorded (3 new, 0 corrected, "
        "0 unchanged); 2 unmatched, waiting for review; 2 skipped; 1 instructors or administrators "
        "not counted."
    )
    attendance_import = AttendanceImport.objects.get()
    assert (attendance_import.kind, attendance_import.imported_by, attendance_import.rows_total) == (
        "zoom",
        clerk,
        10,
    )
    assert (attendance_import.rows_matched, attendance_import.rows_unmatched) == (3, 2)
    assert len(attendance_import.sha256) == 64
    assert AuditEvent.objects.filter(verb="attendance.imported").count() == 1


def test_the_unmatched_go_to_the_review_queue_with_their_merged_clipped_intervals(workshop):
    import_zoom_sample(workshop)

    queue = UnmatchedParticipant.objects.order_by("name")
    assert [(u.name, u.email, u.minutes, u.status) for u in queue] == [
        ("Call-in User_1", "", 90, "pending"),
        ("Chris Lee", "", 176, "pending"),
    ]
    assert queue[1].intervals == [["2026-11-14T09:03:00-05:00", "2026-11-14T11:59:00-05:00"]]
    assert queue[1].session == workshop.session


def test_enrolled_people_missing_from_the_report_are_not_marked_absent(workshop):
    import_zoom_sample(workshop)

    for enrollment in (workshop.chris, workshop.christopher, workshop.dana):
        assert record_of(enrollment, workshop.session) is None


def test_a_late_enrollee_is_skipped_with_a_warning_and_never_marked(workshop):
    result = import_zoom_sample(workshop)

    assert record_of(workshop.lee, workshop.session) is None
    assert credited(workshop.lee, workshop.session) == 0
    assert (
        "zoom_participants_with_summary.csv:11: Lee Latecomer enrolled on Dec 1, 2026, after the session "
        "(Nov 14, 2026): skipped."
    ) in [str(w) for w in result.warnings]


def test_time_entirely_outside_the_session_is_a_warning_and_credits_nothing(workshop):
    result = import_zoom_sample(workshop)

    assert (
        "zoom_participants_with_summary.csv:14: Early Bird <early.bird@chatham.k12.example> was not "
        "connected during the session (Nov 14, 2026, 9:00 AM to 12:00 PM America/New_York): nothing credited."
    ) in [str(w) for w in result.warnings]
    assert not UnmatchedParticipant.objects.filter(name="Early Bird").exists()


def test_the_same_file_twice_changes_nothing(workshop):
    with time_machine.travel(AFTER_THE_SESSION, tick=False):
        import_zoom_sample(workshop)
    entries, balances = ledger_state(), [balance_for(e.uuid) for e in (workshop.pat, workshop.jose)]
    versions = list(AttendanceRecord.objects.order_by("pk").values_list("pk", "version"))

    with time_machine.travel(AFTER_THE_SESSION + dt.timedelta(days=3), tick=False):
        again = import_zoom_sample(workshop)

    assert again.is_repeat
    assert again.summary() == (
        "zoom_participants_with_summary.csv was already imported on Nov 16, 2026: nothing changed."
    )
    assert ledger_state() == entries
    assert [balance_for(e.uuid) for e in (workshop.pat, workshop.jose)] == balances
    assert list(AttendanceRecord.objects.order_by("pk").values_list("pk", "version")) == versions
    assert AttendanceImport.objects.count() == 1
    assert UnmatchedParticipant.objects.count() == 2


def test_the_same_file_for_another_session_is_another_import(workshop):
    import_zoom_sample(workshop)
    other = SessionFactory(cohort=workshop.cohort, starts_at=STARTS_AT, ends_at=ENDS_AT, contact_minutes=180)

    result = meeting_report_import(
        session=other, file_name="z.csv", data=sample("zoom_participants_with_summary.csv"), by=None
    )

    assert not result.is_repeat
    assert result.created == 3


def test_a_later_report_with_other_figures_corrects_the_credit_without_double_counting(workshop):
    meeting_report_import(
        session=workshop.session,
        file_name="first.csv",
        data=zoom("Pat,pat.participant@wake.k12.example,11/14/2026 09:00 AM,11/14/2026 12:00 PM,180,No"),
        by=None,
    )

    result = meeting_report_import(
        session=workshop.session,
        file_name="second.csv",
        data=zoom("Pat,pat.participant@wake.k12.example,11/14/2026 09:00 AM,11/14/2026 10:30 AM,90,No"),
        by=None,
    )

    assert (result.created, result.changed) == (0, 1)
    assert [str(w) for w in result.warnings] == [
        "second.csv:2: Pat Participant: was present (180 min, meeting report), now left early (90 min)."
    ]
    assert credited(workshop.pat, workshop.session) == 90
    assert (
        HoursEntry.objects.filter(enrollment_ref=workshop.pat.uuid).count() == 3
    )  # credit, reversal, credit


def test_a_device_matched_by_email_and_one_by_name_are_merged_not_added(workshop):
    result = meeting_report_import(
        session=workshop.session,
        file_name="z.csv",
        data=zoom(
            "Pat Participant,pat.participant@wake.k12.example,11/14/2026 09:00 AM,11/14/2026 10:00 AM,60,No",
            "PAT  participant,,11/14/2026 09:30 AM,11/14/2026 10:30 AM,60,Yes",
        ),
        by=None,
    )

    assert result.created == 1
    assert record_of(workshop.pat, workshop.session).minutes_attended == 90
    assert credited(workshop.pat, workshop.session) == 90


def test_an_email_of_a_withdrawn_enrollment_goes_to_review_saying_why(workshop):
    result = meeting_report_import(
        session=workshop.session,
        file_name="z.csv",
        data=zoom("Dana,dana.dropout@wilson.k12.example,11/14/2026 09:00 AM,11/14/2026 12:00 PM,180,No"),
        by=None,
    )

    assert result.unmatched[0].reason == "Dana Dropout's enrollment is withdrawn, not current."
    assert record_of(workshop.dana, workshop.session) is None


def test_it_imports_a_teams_report_in_utf16_from_its_activities(workshop):
    result = meeting_report_import(
        session=workshop.session,
        file_name="teams_attendance_report.csv",
        data=sample("teams_attendance_report.csv"),
        by=None,
    )

    assert result.kind == "teams"
    session = workshop.session
    assert record_of(workshop.pat, session).minutes_attended == 180
    assert (record_of(workshop.jose, session).status, record_of(workshop.jose, session).minutes_attended) == (
        A.LATE,
        145,
    )
    assert record_of(workshop.sam, session).minutes_attended == 149
    assert [u.name for u in result.unmatched] == ["Guest Presenter (External)"]
    assert result.staff == 1
    assert AttendanceImport.objects.get().kind == "teams"


def test_a_teams_report_without_activities_is_capped_by_the_in_meeting_duration(workshop):
    meeting_report_import(
        session=workshop.session,
        file_name="teams_attendance_participants_only.csv",
        data=sample("teams_attendance_participants_only.csv"),
        kind="teams",
        by=None,
    )

    # First join 9:14:30, last leave 12:00:30, but only 2h 26m in the meeting.
    assert record_of(workshop.jose, workshop.session).minutes_attended == 146


def test_an_old_teams_report_is_imported_by_names(workshop):
    result = meeting_report_import(
        session=workshop.session,
        file_name="teams_attendance_legacy.csv",
        data=sample("teams_attendance_legacy.csv"),
        by=None,
    )

    assert record_of(workshop.pat, workshop.session).minutes_attended == 150
    assert record_of(workshop.sam, workshop.session).minutes_attended == 179
    assert result.staff == 0
    assert [u.name for u in result.unmatched] == ["Irene Instructor"]  # no e-mail to know her by


def test_a_report_of_another_meeting_is_refused_whole(workshop):
    data = zoom(
        "Pat,pat.participant@wake.k12.example,11/13/2026 09:00 AM,11/13/2026 12:00 PM,180,No",
        "Guest,,11/13/2026 09:00 AM,11/13/2026 12:00 PM,180,Yes",
    )

    with pytest.raises(ImportFailed) as excinfo:
        meeting_report_import(session=workshop.session, file_name="z.csv", data=data, by=None)

    assert "Nobody in the report attended Session 7" in str(excinfo.value.problems[-1])
    assert AttendanceImport.objects.count() == 0
    assert AttendanceRecord.objects.count() == 0


def test_a_report_of_only_staff_and_a_late_enrollee_is_imported_with_nobody_recorded(workshop):
    data = zoom(
        "Irene Instructor,irene.instructor@ncdpi.example,11/14/2026 08:55 AM,11/14/2026 12:05 PM,190,No",
        "Lee Latecomer,lee.latecomer@orange.k12.example,11/14/2026 09:00 AM,11/14/2026 12:00 PM,180,No",
    )

    result = meeting_report_import(session=workshop.session, file_name="z.csv", data=data, by=None)

    assert (result.recorded, result.staff, result.skipped) == (0, 1, 1)
    assert AttendanceImport.objects.count() == 1


def test_a_bad_row_fails_the_whole_report(workshop):
    data = zoom(
        "Pat,pat.participant@wake.k12.example,11/14/2026 09:00 AM,11/14/2026 12:00 PM,180,No",
        "Sam,,11/14/2026 09:00 AM,noon,180,No",
    )

    with pytest.raises(ImportFailed) as excinfo:
        meeting_report_import(session=workshop.session, file_name="z.csv", data=data, by=None)

    assert [str(p) for p in excinfo.value.problems] == [
        "z.csv:3: column Leave Time: 'noon' is not a date and time like 11/14/2026 09:02:13 AM."
    ]
    assert (
        AttendanceImport.objects.count(),
        AttendanceRecord.objects.count(),
        HoursEntry.objects.count(),
    ) == (
        0,
        0,
        0,
    )


def test_a_cancelled_session_takes_no_import(workshop):
    Session.objects.filter(pk=workshop.session.pk).update(status=Session.Status.CANCELLED)
    workshop.session.refresh_from_db()

    with pytest.raises(ImportFailed, match="was cancelled"):
        import_zoom_sample(workshop)


def test_a_refusal_while_writing_rolls_everything_back(workshop, monkeypatch):
    monkeypatch.setattr(apply, "CHUNK", 1)  # the first person is written before the second fails
    calls = []

    def refuse_the_second(*, session, changes, source_kind, by):
        calls.append(changes)
        if len(calls) == 2:
            raise AttendanceRowRefused("The ledger is closed for the night.", index=0)
        return attendance_record_many(session=session, changes=changes, source_kind=source_kind, by=by)

    monkeypatch.setattr(apply, "attendance_record_many", refuse_the_second)

    with pytest.raises(ImportFailed) as excinfo:
        import_zoom_sample(workshop)

    assert str(excinfo.value.problems[0]).startswith("zoom_participants_with_summary.csv:")
    assert "The ledger is closed for the night." in str(excinfo.value)
    assert (
        AttendanceImport.objects.count(),
        AttendanceRecord.objects.count(),
        HoursEntry.objects.count(),
    ) == (
        0,
        0,
        0,
    )
    assert UnmatchedParticipant.objects.count() == 0


def test_two_imports_of_one_file_at_once_leave_one(workshop, monkeypatch):
    import_zoom_sample(workshop)
    real = apply._repeat_of
    calls = []

    def not_yet_the_first_time(**kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(apply, "_repeat_of", not_yet_the_first_time)

    result = import_zoom_sample(workshop)

    assert result.is_repeat
    assert AttendanceImport.objects.count() == 1


def test_progress_is_reported_per_chunk(workshop, monkeypatch):
    monkeypatch.setattr(apply, "CHUNK", 1)
    seen = []

    meeting_report_import(
        session=workshop.session,
        file_name="z.csv",
        data=sample("zoom_participants_with_summary.csv"),
        by=None,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_whole_file_is_one_progress_step_within_a_chunk(workshop):
    seen = []

    meeting_report_import(
        session=workshop.session,
        file_name="z.csv",
        data=sample("zoom_participants_with_summary.csv"),
        by=None,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(3, 3)]


# --- our CSV -----------------------------------------------------------------------------------


def test_it_imports_our_csv_with_a_bom(workshop, clerk):
    result = attendance_csv_import(
        session=workshop.session,
        file_name="attendance_utf8_bom.csv",
        data=sample("attendance_utf8_bom.csv"),
        by=clerk,
    )

    session = workshop.session
    assert (result.created, result.rows_total) == (3, 3)
    pat, jose, sam = (record_of(e, session) for e in (workshop.pat, workshop.jose, workshop.sam))
    assert (pat.status, pat.minutes_attended, pat.source_kind) == (A.PRESENT, 180, "csv_import")
    assert (jose.status, jose.minutes_attended, jose.note) == (A.LATE, 150, "Flight from Asheville delayed")
    assert (sam.status, sam.minutes_attended) == (A.EXCUSED, 0)
    assert [credited(e, session) for e in (workshop.pat, workshop.jose, workshop.sam)] == [180, 150, 0]
    assert AttendanceImport.objects.get().kind == "csv"


def test_it_imports_an_excel_csv_in_windows_1252(workshop):
    attendance_csv_import(
        session=workshop.session,
        file_name="attendance_excel_cp1252.csv",
        data=sample("attendance_excel_cp1252.csv"),
        by=None,
    )

    assert record_of(workshop.jose, workshop.session).note == "Jos\xe9 presented the district\u2019s plan"
    assert record_of(workshop.pat, workshop.session).status == A.LEFT_EARLY


def test_one_bad_row_and_nothing_is_written_the_error_naming_line_and_column(workshop):
    data = (
        b"email,status,minutes_attended,note\n"
        b"pat.participant@wake.k12.example,present,,\n"
        b"nobody@nowhere.example,present,,\n"
        b"jose.munoz@durham.k12.example,late,200,\n"
    )

    with pytest.raises(ImportFailed) as excinfo:
        attendance_csv_import(session=workshop.session, file_name="a.csv", data=data, by=None)

    assert [str(p) for p in excinfo.value.problems] == [
        f"a.csv:3: column email: No one enrolled in {workshop.cohort.name} has the e-mail "
        "nobody@nowhere.example.",
        "a.csv:4: column minutes_attended: 200 minutes is more than the session's 180 contact minutes.",
    ]
    assert (
        AttendanceImport.objects.count(),
        AttendanceRecord.objects.count(),
        HoursEntry.objects.count(),
    ) == (
        0,
        0,
        0,
    )


def test_the_csv_says_why_an_enrolled_person_cannot_be_marked(workshop):
    workshop.session.track = workshop.pat.track
    workshop.session.save()
    data = (
        b"email,status\n"
        b"dana.dropout@wilson.k12.example,present\n"
        b"sam.superintendent@wake.k12.example,present\n"
    )

    with pytest.raises(ImportFailed) as excinfo:
        attendance_csv_import(session=workshop.session, file_name="a.csv", data=data, by=None)

    assert [p.message for p in excinfo.value.problems] == [
        "Dana Dropout's enrollment is withdrawn, not current.",
        f"Sam Superintendent is on the {workshop.sam.track.name} track; Session 7: Cybersecurity leadership "
        f"is for {workshop.pat.track}.",
    ]


def test_the_csv_skips_a_late_enrollee_with_a_warning(workshop):
    data = (
        b"email,status\nlee.latecomer@orange.k12.example,present\npat.participant@wake.k12.example,present\n"
    )

    result = attendance_csv_import(session=workshop.session, file_name="a.csv", data=data, by=None)

    assert (result.created, result.skipped) == (1, 1)
    assert [(w.line, w.column) for w in result.warnings] == [(2, "email")]
    assert record_of(workshop.lee, workshop.session) is None


def test_the_same_csv_twice_changes_nothing_and_an_equal_one_counts_as_unchanged(workshop):
    data = sample("attendance_utf8_bom.csv")
    attendance_csv_import(session=workshop.session, file_name="a.csv", data=data, by=None)
    entries = ledger_state()

    again = attendance_csv_import(session=workshop.session, file_name="a.csv", data=data, by=None)
    same_figures = attendance_csv_import(
        session=workshop.session, file_name="b.csv", data=data.replace(b"\r\n", b"\n"), by=None
    )

    assert again.is_repeat
    assert (same_figures.created, same_figures.changed, same_figures.unchanged) == (0, 0, 3)
    assert ledger_state() == entries


# --- the review queue --------------------------------------------------------------------------


def pending(name: str) -> UnmatchedParticipant:
    return UnmatchedParticipant.objects.get(name=name, status="pending")


def test_resolving_records_the_stored_minutes_and_credits_the_ledger(workshop, clerk):
    import_zoom_sample(workshop)

    record = unmatched_participant_resolve(
        unmatched=pending("Chris Lee"), enrollment=workshop.chris, by=clerk
    )

    assert (record.status, record.minutes_attended, record.source_kind) == (A.PRESENT, 176, "meeting_report")
    assert credited(workshop.chris, workshop.session) == 176
    resolved = UnmatchedParticipant.objects.get(name="Chris Lee")
    assert (resolved.status, resolved.resolved_enrollment, resolved.resolved_by) == (
        "resolved",
        workshop.chris,
        clerk,
    )
    assert resolved.resolved_at is not None
    assert AuditEvent.objects.filter(verb="attendance.unmatched_resolved").count() == 1


def test_resolving_twice_is_refused(workshop):
    import_zoom_sample(workshop)
    unmatched = pending("Chris Lee")
    unmatched_participant_resolve(unmatched=unmatched, enrollment=workshop.chris, by=None)

    with pytest.raises(UnmatchedRefused, match="already matched to an enrollment"):
        unmatched_participant_resolve(unmatched=unmatched, enrollment=workshop.christopher, by=None)


def test_two_devices_resolved_to_one_person_are_merged(workshop):
    import_zoom_sample(workshop)

    unmatched_participant_resolve(
        unmatched=pending("Call-in User_1"), enrollment=workshop.christopher, by=None
    )
    record = unmatched_participant_resolve(
        unmatched=pending("Chris Lee"), enrollment=workshop.christopher, by=None
    )

    # 9:10-10:40 and 9:03-11:59 overlap: 176 minutes, not 266.
    assert record.minutes_attended == 176
    assert credited(workshop.christopher, workshop.session) == 176


def test_resolving_keeps_a_larger_figure_already_recorded(workshop):
    import_zoom_sample(workshop)
    before = record_of(workshop.pat, workshop.session)

    record = unmatched_participant_resolve(
        unmatched=pending("Call-in User_1"), enrollment=workshop.pat, by=None
    )

    assert (record.pk, record.minutes_attended, record.version) == (before.pk, 180, before.version)
    assert credited(workshop.pat, workshop.session) == 180


def test_resolving_to_a_late_enrollee_is_refused_and_stays_pending(workshop):
    import_zoom_sample(workshop)

    with pytest.raises(DomainError, match="enrolled on Dec 1, 2026"):
        unmatched_participant_resolve(unmatched=pending("Chris Lee"), enrollment=workshop.lee, by=None)

    assert pending("Chris Lee").resolved_enrollment is None


def test_dismissing_needs_a_reason_and_is_kept_in_the_audit(workshop, clerk):
    import_zoom_sample(workshop)
    unmatched = pending("Call-in User_1")

    with pytest.raises(UnmatchedRefused, match="Say why"):
        unmatched_participant_dismiss(unmatched=unmatched, reason="  ", by=clerk)
    dismissed = unmatched_participant_dismiss(unmatched=unmatched, reason="The facilitator's phone", by=clerk)

    assert (dismissed.status, dismissed.resolved_by) == ("dismissed", clerk)
    event = AuditEvent.objects.get(verb="attendance.unmatched_dismissed")
    assert event.data["reason"] == "The facilitator's phone"
    with pytest.raises(UnmatchedRefused, match="already dismissed"):
        unmatched_participant_dismiss(unmatched=unmatched, reason="again", by=clerk)
    assert AttendanceRecord.objects.filter(session=workshop.session).count() == 3
