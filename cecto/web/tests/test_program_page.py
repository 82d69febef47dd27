"""The public programme page's numbers by class: every class for a state programme, a line per
year (and a year's classes on asking) for a national one, cached by a version, a fixed number of
queries whatever the programme's size, and an admission visible on the very next view."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.data import ClassNumbers, ProgramNumbers, TrackNumbers, YearNumbers
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.services import enrollment_status_change
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

S = Enrollment.Status


def page_url(program) -> str:
    return reverse("web:program-detail", args=[program.slug])


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


def programme_of(years: int, per_year: int = 2):
    """A programme with two tracks and PER_YEAR classes a year from 2016, each with a graduate and
    an active member on the first track and a graduate on the second."""
    program = ProgramFactory()
    candidates = TrackFactory(program=program, name="Candidates", position=0)
    superintendents = TrackFactory(program=program, name="Superintendents", position=1)
    for year in range(2016, 2016 + years):
        for n in range(per_year):
            dates = {"starts_on": dt.date(year, 2 + n, 1), "ends_on": dt.date(year, 11, 1)}
            name = f"Section {n} of {year}"
            cohort = CohortFactory(program=program, name=name, status=Cohort.Status.COMPLETED, **dates)
            EnrollmentFactory(cohort=cohort, track=candidates, status=S.CERTIFIED)
            EnrollmentFactory(cohort=cohort, track=candidates, status=S.ACTIVE)
            EnrollmentFactory(cohort=cohort, track=superintendents, status=S.COMPLETED)
    return program


@pytest.fixture
def many_classes(monkeypatch):
    monkeypatch.setattr("cecto.web.views_reports.CLASSES_SHOWN_AT_ONCE", 4)


def test_a_state_programme_lists_every_class_with_the_totals(client, db):
    program = programme_of(2)

    response = client.get(page_url(program))

    html = squeeze(response.content.decode())
    assert response.context["by_year"] is False
    assert [row.cohort_name for row in response.context["numbers"]] == [
        "Section 0 of 2016",
        "Section 1 of 2016",
        "Section 0 of 2017",
        "Section 1 of 2017",
    ]
    assert '<th scope="row" class="nowrap">Section 1 of 2017</th><td>Completed</td>' in html
    # The last class's running totals: 4 candidates and 4 superintendents graduated so far.
    assert (
        '<th scope="row">All classes</th><td class="num">4</td>'
        '<td class="num group-start">8</td><td class="num">4</td><td class="num">4</td>'
        '<td class="num group-start">4</td><td class="num">4</td><td class="num">4</td>'
    ) in html
    assert "?year=" not in html


def test_a_national_programme_lists_a_line_per_year(client, db, many_classes):
    program = programme_of(3)

    response = client.get(page_url(program))

    html = squeeze(response.content.decode())
    assert response.context["by_year"] is True
    assert list(response.context["numbers"]) == []
    assert "Section 0 of 2016" not in html
    assert "6 classes: a line per year" in html
    # 2017: 2 classes; candidates 4 enrolled, 2 graduated, 4 to date; superintendents 2, 2, 4.
    assert (
        '<th scope="row"><a href="?year=2017#numbers">2017</a></th><td class="num">2</td>'
        '<td class="num group-start">4</td><td class="num">2</td><td class="num">4</td>'
        '<td class="num group-start">2</td><td class="num">2</td><td class="num">4</td>'
    ) in html
    assert '<th scope="row">All classes</th><td class="num">6</td>' in html


def test_a_years_classes_keep_the_graduates_of_the_years_before(client, db, many_classes):
    program = programme_of(3)

    response = client.get(page_url(program) + "?year=2017")

    html = squeeze(response.content.decode())
    assert [row.cohort_name for row in response.context["numbers"]] == [
        "Section 0 of 2017",
        "Section 1 of 2017",
    ]
    assert "Section 0 of 2016" not in html
    assert "Classes that started in 2017" in html
    assert f'<a href="{page_url(program)}#numbers">Every year</a>' in html
    # The first class of 2017 brings the graduates to date to 3: two in 2016, one in it.
    assert [row.tracks[0].cumulative_completed for row in response.context["numbers"]] == [3, 4]
    assert (
        '<th scope="row">All classes of 2017</th><td class="num">2</td>'
        '<td class="num group-start">4</td><td class="num">2</td><td class="num">4</td>'
    ) in html


@pytest.mark.parametrize("year", ["2015", "2099", "next", "99999", "0201", "٢٠١٧"])
def test_a_year_without_classes_is_404(client, db, year):
    program = programme_of(2)

    assert client.get(page_url(program) + f"?year={year}").status_code == 404


def test_an_admission_shows_on_the_very_next_view(client, db):
    program = programme_of(1, per_year=1)
    applicant = EnrollmentFactory(
        cohort=program.cohorts.get(), track=program.tracks.first(), status=S.APPLIED
    )
    assert [row.enrolled for row in client.get(page_url(program)).context["numbers"]] == [3]

    enrollment_status_change(enrollment=applicant, to_status=S.ADMITTED, by=None)

    assert [row.enrolled for row in client.get(page_url(program)).context["numbers"]] == [4]


def queries_for(client, url: str) -> tuple[int, int]:
    """The queries of a first view (a miss) and of a second one (a hit)."""
    with CaptureQueriesContext(connection) as miss:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        assert client.get(url).status_code == 200
    return len(miss.captured_queries), len(hit.captured_queries)


def test_the_page_takes_the_same_queries_for_2_and_for_12_classes(client, db):
    small, large = programme_of(1), programme_of(6)

    assert queries_for(client, page_url(small)) == queries_for(client, page_url(large))
    # The programme, its tracks, partners and contacts, the version; a miss adds the numbers' three.
    assert queries_for(client, page_url(ProgramFactory())) == (8, 5)


def test_a_year_takes_the_same_queries_for_a_small_and_a_large_programme(client, db, many_classes):
    small, large = programme_of(3), programme_of(8, per_year=3)

    assert queries_for(client, page_url(small) + "?year=2017") == queries_for(
        client, page_url(large) + "?year=2017"
    )
    assert queries_for(client, page_url(small)) == queries_for(client, page_url(large))


def test_counts_in_the_thousands_are_grouped(client, db, monkeypatch):
    program = programme_of(1, per_year=1)
    track = TrackNumbers(
        track_name="Candidates", enrolled=12_345, completed=1_000, cumulative_completed=16_894
    )
    row = ClassNumbers(
        cohort_name="A very large class",
        cohort_slug="large",
        starts_on_year=2016,
        ends_on_year=2016,
        status_label="Completed",
        tracks=(track,),
        enrolled=12_345,
        completed=1_000,
        cumulative_completed=16_894,
    )
    year = YearNumbers(
        year=2016,
        classes=(row,),
        tracks=(track,),
        enrolled=12_345,
        completed=1_000,
        cumulative_completed=16_894,
    )
    numbers = ProgramNumbers(years=(year,), tracks=(track,), enrolled=12_345, completed=1_000)
    monkeypatch.setattr("cecto.web.views.program_numbers_cached", lambda **_: numbers)

    html = squeeze(client.get(page_url(program)).content.decode())

    assert (
        '<td class="num group-start">12,345</td><td class="num">1,000</td><td class="num">16,894</td>'
    ) in html
