"""Issuing a graduating class in the background: progress, failure, resuming without duplicates.

The test settings use django-tasks' immediate backend: `enqueue` runs the task at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cecto.core.models import AuditEvent
from cecto.core.tests.factories import UserFactory
from cecto.credentials import bulk
from cecto.credentials.bulk import issuance_run_execute, issuance_run_resume, issuance_run_start
from cecto.credentials.models import Credential, IssuanceRun
from cecto.credentials.services import CredentialRefused
from cecto.credentials.tests.factories import graduating_class
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort() -> Any:
    cohort = CohortFactory()
    enrollments = graduating_class(cohort, 4)
    # One who has not earned it: never counted, never issued.
    EnrollmentFactory(cohort=cohort, track=enrollments[0].track, person__full_name="Not Yet")
    return cohort


def badges(cohort: Any) -> Any:
    return Credential.objects.filter(enrollment__cohort=cohort, kind=Credential.Kind.OPEN_BADGE)


def test_a_run_issues_the_whole_class(cohort):
    admin = UserFactory(username="registrar")

    run = issuance_run_start(cohort=cohort, by=admin)

    assert run.status == IssuanceRun.Status.FINISHED
    assert (run.total, run.done, run.issued, run.percent) == (4, 4, 4, 100)
    assert run.requested_by == admin
    assert run.started_at is not None
    assert run.finished_at is not None
    assert run.error == ""
    assert badges(cohort).count() == 4
    assert set(badges(cohort).values_list("issuance_run", flat=True)) == {run.pk}
    assert AuditEvent.objects.filter(
        verb="issuance_run.started", actor=admin, data={"run": str(run.uuid)}
    ).exists()


def interrupt_after(monkeypatch: pytest.MonkeyPatch, issues: int) -> list[Any]:
    """Make bulk's credential_issue fail after ISSUES real issues, as a worker killed mid-run would."""
    real = bulk.credential_issue
    issued: list[Any] = []

    def flaky(**kwargs: Any) -> Any:
        if len(issued) >= issues:
            raise ConnectionError("The database went away.")
        issued.append(real(**kwargs))
        return issued[-1]

    monkeypatch.setattr(bulk, "credential_issue", flaky)
    return issued


def test_an_interrupted_run_fails_with_its_error_and_progress(cohort, monkeypatch):
    interrupt_after(monkeypatch, 2)

    run = issuance_run_start(cohort=cohort, by=None)

    assert run.status == IssuanceRun.Status.FAILED
    assert run.error == "ConnectionError: The database went away."
    assert (run.total, run.done, run.issued) == (4, 2, 2)
    assert run.is_open is False
    assert run.finished_at is None
    assert badges(cohort).count() == 2


def test_resuming_finishes_the_run_without_duplicates(cohort, monkeypatch):
    interrupt_after(monkeypatch, 2)
    failed = issuance_run_start(cohort=cohort, by=None)
    monkeypatch.undo()

    run = issuance_run_resume(run=failed, by=None)

    assert run.pk == failed.pk
    assert run.status == IssuanceRun.Status.FINISHED
    assert run.error == ""
    assert (run.total, run.done, run.issued) == (4, 4, 4)
    assert badges(cohort).count() == 4
    assert len(set(badges(cohort).values_list("enrollment", flat=True))) == 4
    assert AuditEvent.objects.filter(verb="issuance_run.resumed", data={"run": str(run.uuid)}).count() == 1


def test_a_run_counts_what_was_issued_before_it_as_done(cohort):
    first = issuance_run_start(cohort=cohort, by=None)
    graduating_class(cohort, 1, track=badges(cohort).first().enrollment.track)
    IssuanceRun.objects.filter(pk=first.pk).update(status=IssuanceRun.Status.FAILED)

    run = issuance_run_resume(run=IssuanceRun.objects.get(pk=first.pk), by=None)

    assert (run.total, run.done, run.issued) == (5, 5, 5)
    assert badges(cohort).count() == 5


def test_starting_while_a_run_is_open_returns_that_run(cohort):
    open_run = IssuanceRun.objects.create(cohort=cohort, status=IssuanceRun.Status.RUNNING)

    run = issuance_run_start(cohort=cohort, by=None)

    assert run == open_run
    assert IssuanceRun.objects.count() == 1
    assert not badges(cohort).exists()


def test_a_queued_run_is_open_too(cohort):
    queued = IssuanceRun.objects.create(cohort=cohort)

    assert issuance_run_start(cohort=cohort, by=None) == queued


def test_a_stalled_run_does_not_block_a_new_one(cohort):
    stalled = IssuanceRun.objects.create(cohort=cohort, status=IssuanceRun.Status.RUNNING)
    IssuanceRun.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))

    run = issuance_run_start(cohort=cohort, by=None)

    assert run != stalled
    assert run.status == IssuanceRun.Status.FINISHED
    assert badges(cohort).count() == 4


def test_a_finished_run_is_not_resumed(cohort):
    run = issuance_run_start(cohort=cohort, by=None)

    with pytest.raises(CredentialRefused, match="This run has finished"):
        issuance_run_resume(run=run, by=None)


def test_a_run_that_is_still_going_is_not_resumed(cohort):
    running = IssuanceRun.objects.create(cohort=cohort, status=IssuanceRun.Status.RUNNING)

    with pytest.raises(CredentialRefused, match="This run is still going"):
        issuance_run_resume(run=running, by=None)


def test_a_stalled_run_is_resumed(cohort):
    stalled = IssuanceRun.objects.create(cohort=cohort, status=IssuanceRun.Status.RUNNING)
    IssuanceRun.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    stalled.refresh_from_db()

    run = issuance_run_resume(run=stalled, by=None)

    assert run.status == IssuanceRun.Status.FINISHED
    assert run.issued == 4


def test_executing_a_finished_run_again_does_nothing(cohort):
    run = issuance_run_start(cohort=cohort, by=None)

    again = issuance_run_execute(str(run.uuid))

    assert (again.status, again.issued, again.finished_at) == (run.status, 4, run.finished_at)
    assert badges(cohort).count() == 4


def test_the_task_returns_how_many_it_issued(cohort):
    run = IssuanceRun.objects.create(cohort=cohort)

    result = bulk.issue_cohort.enqueue(run_uuid=str(run.uuid))

    assert result.return_value == 4


def test_a_run_of_nobody_is_finished_at_100_percent():
    run = issuance_run_start(cohort=CohortFactory(), by=None)

    assert (run.status, run.total, run.percent) == (IssuanceRun.Status.FINISHED, 0, 100)
