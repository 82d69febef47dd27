"""The programme report: its figures on a hand-made programme, who may see it, its CSV, its cost."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.credentials.models import Credential
from cecto.credentials.reports import program_report_for
from cecto.credentials.tests.rows import credential_row
from cecto.ledger.api import HoursEntry, hours_entry_record, hours_entry_reverse
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory, TrackFactory
from cecto.scheduling.dashboard import dashboard_for
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

S = Enrollment.Status
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Feb 10 → Dec 3 class: 111 of 296 days gone
FULL = 240 * 60


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def credit(
    enrollment: Enrollment, minutes: int, category: str = HoursEntry.Category.INSTRUCTION
) -> HoursEntry:
    return hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=dt.date(2026, 3, 1),
        source_kind=HoursEntry.Source.MANUAL,
        category=category,
        reason="Credit for the test",
        by=None,
    )


@dataclass
class Programme:
    cast: Any
    current: Cohort  # the cast's class of 2026
    last_year: Cohort
    completed: Enrollment
    certified: Enrollment


def enroll(cohort: Cohort, status: str, track: Any, minutes: int = 0, **kwargs: Any) -> Enrollment:
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=status, **kwargs)
    if minutes:
        credit(enrollment, minutes)
    return enrollment


@pytest.fixture
def programme(cast: Any) -> Programme:
    """The class of 2026 on June 1 (an even spread expects 5,400 of 14,400 minutes by now):

    - Pat, active, 6,000 minutes (a 90-minute entry reversed besides): on pace.
    - Sam, superintendent, active, nothing: behind.
    - withdrawn with 300 minutes (counted as enrolled, not judged for pace);
    - completed and certified with 14,400 each: on pace; their badges: one revoked, one active;
    - admitted, joining on June 15: nothing expected yet, so on pace;
    - a mentee whose track counts mentoring: 4,000 instruction + 1,500 mentoring: on pace only
      because of the mentoring, and only the 4,000 count as contact hours;
    - an applicant with 600 minutes: not counted at all.

    The class of 2025 (over): one completed with everything (badge), one withdrawn with nothing.
    A cancelled class and another programme's class are left out.
    """
    current = cast.cohort
    pat, sam = cast.participant_enrollment, cast.superintendent_enrollment
    track, supt_track = pat.track, sam.track
    credit(pat, 6000)
    hours_entry_reverse(entry=credit(pat, 90), reason="Entered twice", by=None)
    enroll(current, S.WITHDRAWN, track, 300)
    completed = enroll(current, S.COMPLETED, track, FULL)
    certified = enroll(current, S.CERTIFIED, track, FULL)
    enroll(current, S.ADMITTED, track, enrolled_on=dt.date(2026, 6, 15))
    mentoring = TrackFactory(program=current.program, mentoring_counts_as_instruction=True)
    mentee = enroll(current, S.ACTIVE, mentoring, 4000)
    credit(mentee, 1500, HoursEntry.Category.MENTORING)
    enroll(current, S.APPLIED, track, 600)
    credential_row(enrollment=completed, status=Credential.Status.REVOKED)
    credential_row(enrollment=certified)
    credential_row(person=certified.person, kind=Credential.Kind.TRANSCRIPT)  # not a class's badge

    last_year = CohortFactory(
        program=current.program,
        name="Class of 2025",
        starts_on=dt.date(2025, 2, 11),
        ends_on=dt.date(2025, 12, 4),
        status=Cohort.Status.COMPLETED,
    )
    credential_row(enrollment=enroll(last_year, S.COMPLETED, track, FULL))
    enroll(last_year, S.WITHDRAWN, supt_track)

    cancelled = CohortFactory(program=current.program, status=Cohort.Status.CANCELLED)
    enroll(cancelled, S.WITHDRAWN, track, 60)
    other_track = TrackFactory(program=cast.other_cohort.program)
    credential_row(enrollment=enroll(cast.other_cohort, S.CERTIFIED, other_track, FULL))
    return Programme(
        cast=cast, current=current, last_year=last_year, completed=completed, certified=certified
    )


def figures_of(report: Any, cohort: Cohort) -> Any:
    return next(f for f in report.classes if f.cohort is not None and f.cohort.id == cohort.pk)


# --- the figures ---------------------------------------------------------------------------------


def test_the_current_class_figures_are_counted_from_statuses_and_the_ledger(programme):
    report = program_report_for(program=programme.current.program)

    figures = figures_of(report, programme.current)
    assert (figures.enrolled, figures.admitted, figures.active, figures.withdrawn) == (7, 1, 3, 1)
    assert (figures.completed, figures.certified) == (1, 1)
    assert figures.credited_minutes == 6000 + 300 + FULL + FULL + 4000
    assert str(figures.average_hours) == "93.1"  # 39,100 minutes over 7 people
    assert (figures.pace_judged, figures.on_pace, figures.on_pace_percent) == (6, 5, 83)
    assert (figures.credentials_issued, figures.credentials_revoked) == (2, 1)


def test_pace_agrees_with_the_cohort_dashboard(programme):
    rows = dashboard_for(cohort=programme.current)

    figures = figures_of(program_report_for(program=programme.current.program), programme.current)

    assert figures.pace_judged == len(rows)
    assert figures.on_pace == sum(row.is_on_pace for row in rows)


def test_a_finished_class_expects_every_hour(programme):
    figures = figures_of(program_report_for(program=programme.current.program), programme.last_year)

    assert (figures.enrolled, figures.completed, figures.withdrawn) == (2, 1, 1)
    assert str(figures.average_hours) == "120.0"
    assert (figures.pace_judged, figures.on_pace) == (1, 1)
    assert (figures.credentials_issued, figures.credentials_revoked) == (1, 0)


def test_classes_come_by_year_oldest_first_with_the_total_and_nothing_cancelled(programme):
    report = program_report_for(program=programme.current.program)

    assert [y.year for y in report.years] == [2025, 2026]
    assert [f.label for f in report.classes] == ["Class of 2025", programme.current.name]
    assert report.total.enrolled == 9
    assert report.total.credited_minutes == 39_100 + FULL
    assert (report.total.pace_judged, report.total.on_pace) == (7, 6)
    assert (report.total.credentials_issued, report.total.credentials_revoked) == (3, 1)
    assert report.years[0].subtotal.enrolled == 2


def test_a_class_with_nobody_enrolled_shows_dashes_and_another_programmes_class_is_absent(client, cast):
    CohortFactory(program=cast.cohort.program, name="Empty class")
    client.force_login(cast.admin)

    html = client.get(report_url(cast.cohort.program)).content.decode()

    assert report_row(html, cast.other_cohort.name) is None
    empty = report_row(html, "Empty class")
    assert empty is not None
    assert re.findall(r'<td class="num">(.*?)</td>', empty) == ["0", "0", "0", "0", "0", "—", "—", "0", "0"]
    members = report_row(html, cast.cohort.name)
    assert members is not None  # two members, nothing credited: 0.0 hours, 0% on pace
    assert re.findall(r'<td class="num">(.*?)</td>', members)[5:7] == [
        "0.0",
        '0% <span class="muted">(0 of 2)</span>',
    ]


def test_a_new_ledger_entry_shows_at_once_despite_the_cache(programme):
    program = programme.current.program
    before = figures_of(program_report_for(program=program), programme.current).credited_minutes

    credit(programme.cast.superintendent_enrollment, 120)

    after = figures_of(program_report_for(program=program), programme.current).credited_minutes
    assert after == before + 120


def test_a_revocation_shows_at_once_despite_the_cache(programme):
    program = programme.current.program
    program_report_for(program=program)
    badge = Credential.objects.get(enrollment=programme.certified)
    badge.status = Credential.Status.REVOKED
    badge.save()
    badge.status_changes.create(from_status="active", to_status="revoked", reason="Test", changed_by=None)

    assert figures_of(program_report_for(program=program), programme.current).credentials_revoked == 2


# --- the page --------------------------------------------------------------------------------------


def report_url(program: Any, suffix: str = "report") -> str:
    return reverse(f"web:program-{suffix}", args=[program.slug])


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def report_row(html: str, label: str) -> str | None:
    match = re.search(
        r"<tr[^>]*>((?:(?!</tr>).)*?>" + re.escape(label) + r"<(?:(?!</tr>).)*)</tr>", squeeze(html)
    )
    return match.group(1) if match else None


def test_the_page_shows_each_class_the_subtotals_and_the_total(client, programme):
    client.force_login(programme.cast.admin)

    html = client.get(report_url(programme.current.program)).content.decode()

    row = report_row(html, programme.current.name)
    assert row is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    assert cells == ["7", "3", "1", "1", "1", "93.1", '83% <span class="muted">(5 of 6)</span>', "2", "1"]
    dashboard = reverse("web:cohort-dashboard", args=[programme.current.slug])
    assert f'<a href="{dashboard}">{programme.current.name}</a>' in row
    total = report_row(html, "Total")
    assert total is not None
    assert re.findall(r'<td class="num">(.*?)</td>', total)[0] == "9"
    assert "Figures as of Jun 1, 2026" in html


def table_of(response: Any) -> str:
    html = response.content.decode()  # the rest of the page differs: a CSRF token per response
    return html[html.index('<h2 id="report-table">') : html.index("</table>")]


def test_the_table_is_rendered_once_per_version_and_a_new_entry_shows_at_once(client, programme):
    client.force_login(programme.cast.admin)
    url = report_url(programme.current.program)
    row_template = "web/partials/_report_row.html"

    first = client.get(url)
    again = client.get(url)
    credit(programme.cast.participant_enrollment, 600)
    after = client.get(url)

    assert row_template in [t.name for t in first.templates]
    assert row_template not in [t.name for t in again.templates]  # the cached table
    assert table_of(first) == table_of(again)
    cells = re.findall(
        r'<td class="num">(.*?)</td>', report_row(after.content.decode(), programme.current.name) or ""
    )
    assert cells[5] == "94.5"  # average contact hours: 39,700 minutes over the 7 enrolled
    assert row_template in [t.name for t in after.templates]


@pytest.mark.parametrize("who", ["instructor", "participant", "superintendent", "outsider"])
def test_only_the_programmes_administrators_may_see_it(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(report_url(cast.cohort.program)).status_code == 403
    assert client.get(report_url(cast.cohort.program, "report-csv")).status_code == 403


def test_a_private_programme_is_404_to_an_outsider(client, cast):
    secret = ProgramFactory(slug="secret-pilot", is_public=False)
    client.force_login(cast.outsider)

    assert client.get(report_url(secret)).status_code == 404
    assert client.get(reverse("web:program-report", args=["no-such-programme"])).status_code == 404


def test_a_superuser_may_see_any_programmes_report(client, cast):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(report_url(cast.cohort.program)).status_code == 200


def test_a_visitor_is_sent_to_log_in(client, cast):
    response = client.get(report_url(cast.cohort.program))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_programme_page_links_to_the_report_for_its_administrators_only(client, cast):
    url = reverse("web:program-detail", args=[cast.cohort.program.slug])
    link = f'<a href="{report_url(cast.cohort.program)}">Programme report</a>'

    client.force_login(cast.admin)
    assert link in client.get(url).content.decode()
    client.force_login(cast.participant)
    assert link not in client.get(url).content.decode()
    client.logout()
    assert link not in client.get(url).content.decode()


def test_a_programme_with_many_classes_lists_years_and_a_years_classes_on_asking(client, cast, monkeypatch):
    monkeypatch.setattr("cecto.web.views_reports.CLASSES_SHOWN_AT_ONCE", 2)
    program = cast.cohort.program
    for year in (2024, 2025):
        for n in range(2):
            CohortFactory(program=program, name=f"Section {n} of {year}", starts_on=dt.date(year, 3, 1),
                          ends_on=dt.date(year, 11, 1))  # fmt: skip
    client.force_login(cast.admin)

    overview = squeeze(client.get(report_url(program)).content.decode())
    one_year = squeeze(client.get(report_url(program) + "?year=2025").content.decode())

    assert '<a href="?year=2024">2024</a>' in overview
    assert "Section 0 of 2024" not in overview
    assert "Section 0 of 2025" in one_year
    assert "Section 0 of 2024" not in one_year
    assert "<tfoot>" not in one_year
    assert client.get(report_url(program) + "?year=1999").status_code == 404
    assert client.get(report_url(program) + "?year=next").status_code == 404


# --- the CSV ---------------------------------------------------------------------------------------


def test_the_csv_has_a_line_per_class_and_the_total(client, programme):
    client.force_login(programme.cast.admin)

    response = client.get(report_url(programme.current.program, "report-csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Year,Class,Status,Kick-off,Graduation,Enrolled,Admitted,Active,Withdrawn")
    assert lines[1] == "2025,Class of 2025,Completed,2025-02-11,2025-12-04,2,0,0,1,1,0,120.0,1,1,100,1,0"
    assert lines[2] == (
        f"2026,{programme.current.name},In progress,2026-02-10,2026-12-03,7,1,3,1,1,1,93.1,6,5,83,2,1"
    )
    assert lines[3] == ",Total,,,,9,1,3,2,2,1,99.1,7,6,86,3,1"
    assert len(lines) == 4


def test_the_csv_never_carries_a_formula(client, cast):
    cast.cohort.name = '=HYPERLINK("http://evil.example","Click")'
    cast.cohort.save()
    client.force_login(cast.admin)

    text = client.get(report_url(cast.cohort.program, "report-csv")).content.decode("utf-8-sig")

    assert '\r\n2026,"\'=HYPERLINK(""http://evil.example"",""Click"")",In progress,' in text
    assert '"=HYPERLINK' not in text


# --- the cost --------------------------------------------------------------------------------------


def grow(program: Any, classes: int, people: int, entries: int) -> None:
    track = TrackFactory(program=program)
    for c in range(classes):
        year = 2016 + c % 10
        cohort = CohortFactory(program=program, starts_on=dt.date(year, 2, 9), ends_on=dt.date(year, 12, 1))
        for p in range(people):
            status = (S.ACTIVE, S.COMPLETED, S.WITHDRAWN)[p % 3]
            enrollment = EnrollmentFactory(cohort=cohort, track=track, status=status)
            for _ in range(entries):
                credit(enrollment, 30)
            if p % 2:
                credential_row(enrollment=enrollment)


@pytest.mark.parametrize("suffix", ["report", "report-csv"])
def test_the_report_costs_the_same_queries_for_a_small_and_a_large_programme(
    client, db, suffix, django_assert_num_queries
):
    admin = UserFactory()
    person = PersonFactory(user=admin)
    small = ProgramAdministratorFactory(person=person).program
    large = ProgramAdministratorFactory(person=person).program
    grow(small, 1, 2, 1)
    grow(large, 12, 10, 4)
    client.force_login(admin)

    with CaptureQueriesContext(connection) as measured:
        assert client.get(report_url(small, suffix)).status_code == 200
    with django_assert_num_queries(len(measured.captured_queries)):
        response = client.get(report_url(large, suffix))
    with CaptureQueriesContext(connection) as cached:
        assert client.get(report_url(large, suffix)).status_code == 200

    assert response.status_code == 200
    # session and user (2), the navigation's person (page only), the programme and whether the
    # caller administers it (2), the cache key (1); then, on a miss, the classes, their enrollment
    # figures and their credential counts (3).
    navigation = 1 if suffix == "report" else 0
    assert len(measured.captured_queries) == 2 + navigation + 2 + 1 + 3
    assert len(cached.captured_queries) == 2 + navigation + 2 + 1
    if suffix == "report":
        assert len(response.context["report"].classes) == 12


def test_report_counts_in_the_thousands_are_grouped():
    row = SimpleNamespace(
        label="2016",
        cohort=None,
        enrolled=12_345,
        active=1_000,
        withdrawn=0,
        completed=2_500,
        certified=2_400,
        average_hours=None,
        on_pace_percent=50,
        on_pace=1_500,
        pace_judged=3_000,
        credentials_issued=2_400,
        credentials_revoked=0,
    )

    html = render_to_string("web/partials/_report_row.html", {"row": row, "classes": 1_234, "subtotal": True})

    assert "1,234 classes" in html
    assert '<td class="num">12,345</td>' in html
    assert '50% <span class="muted">(1,500 of 3,000)</span>' in html
    assert '<td class="num">2,400</td>' in html


# --- the replica for reports ---------------------------------------------------------------------

# What only the report reads: the permission checks and navigation never touch them.
REPORT_TABLES = ("ledger_hoursentry", "credentials_credential")
# A replica is a PostgreSQL streaming replica (REPORTS_DATABASE_URL refuses anything else), so the
# test settings define the mirror only there: `make test-postgres` (and CI) runs these.
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a replica for reports is PostgreSQL only"
)


@postgres_only
@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
@pytest.mark.parametrize("suffix", ["report", "report-csv"])
def test_with_a_replica_the_report_reads_only_the_replica(client, programme, settings, suffix):
    # The data is committed (a transactional test): the mirror is another connection.
    settings.REPORTS_DATABASE = "reports"
    client.force_login(programme.cast.admin)

    with (
        CaptureQueriesContext(connections["reports"]) as replica,
        CaptureQueriesContext(connection) as primary,
    ):
        response = client.get(report_url(programme.current.program, suffix))

    assert response.status_code == 200
    # The cache key, the classes, their enrollment figures, their credential counts.
    assert len(replica.captured_queries) == 4
    assert [q["sql"] for q in primary.captured_queries if any(t in q["sql"] for t in REPORT_TABLES)] == []
    if suffix == "report":
        row = report_row(response.content.decode(), programme.current.name)
        assert row is not None
        assert re.findall(r'<td class="num">(.*?)</td>', row)[:2] == ["7", "3"]
    else:
        assert programme.current.name in response.content.decode()


@postgres_only
@pytest.mark.django_db(databases=["default", "reports"])
def test_without_a_replica_the_report_reads_the_primary(client, programme):
    client.force_login(programme.cast.admin)

    with CaptureQueriesContext(connections["reports"]) as replica:
        response = client.get(report_url(programme.current.program))

    assert response.status_code == 200
    assert replica.captured_queries == []
