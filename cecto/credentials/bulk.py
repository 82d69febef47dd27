"""Issuing a whole graduating class in the background, with progress, resumable.

`issuance_run_start` records an `IssuanceRun` and enqueues the task `issue_cohort`. The task issues one
credential at a time through `services.credential_issue`, which locks the enrollment and issues
nothing that exists already; so a run that was interrupted (a worker killed, a deploy) or failed is
simply run again (`issuance_run_resume`) and carries on where it stopped, issuing nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from cecto.core.audit import audit_event_record
from cecto.core.types import AnyUser, login_of
from cecto.credentials.certification import certification_table
from cecto.credentials.models import IssuanceRun
from cecto.credentials.services import CredentialRefused, credential_issue
from cecto.scheduling.api import Cohort

# A running run whose row has not moved for this long is taken to be interrupted.
STALLED_AFTER = timedelta(minutes=2)


def issuance_run_start(*, cohort: Cohort, by: AnyUser | None) -> IssuanceRun:
    """Start issuing the class's earned credentials; an open run for the cohort is returned instead."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        open_run = cohort.issuance_runs.filter(
            status__in=(IssuanceRun.Status.QUEUED, IssuanceRun.Status.RUNNING)
        ).first()
        if open_run is not None and not is_stalled(open_run):
            return open_run
        run = IssuanceRun.objects.create(cohort=cohort, requested_by=login_of(by))
        audit_event_record(
            actor=by,
            verb="issuance_run.started",
            subject_kind="cohort",
            subject_id=cohort.slug,
            data={"run": str(run.uuid)},
        )
    issue_cohort.enqueue(run_uuid=str(run.uuid))
    run.refresh_from_db()
    return run


def issuance_run_resume(*, run: IssuanceRun, by: AnyUser | None) -> IssuanceRun:
    if run.status == IssuanceRun.Status.FINISHED:
        raise CredentialRefused("This run has finished; start a new one to issue credentials earned since.")
    if run.is_open and not is_stalled(run):
        raise CredentialRefused("This run is still going.")
    IssuanceRun.objects.filter(pk=run.pk).update(status=IssuanceRun.Status.QUEUED, error="")
    audit_event_record(
        actor=by,
        verb="issuance_run.resumed",
        subject_kind="cohort",
        subject_id=run.cohort.slug,
        data={"run": str(run.uuid)},
    )
    issue_cohort.enqueue(run_uuid=str(run.uuid))
    run.refresh_from_db()
    return run


def is_stalled(run: IssuanceRun) -> bool:
    return run.status == IssuanceRun.Status.RUNNING and timezone.now() - run.updated_at > STALLED_AFTER


def issuance_run_execute(run_uuid: str) -> IssuanceRun:
    """The task's body: issue what is earned and not yet issued, counting as it goes."""
    run = IssuanceRun.objects.select_related("cohort__program", "requested_by").get(uuid=run_uuid)
    if run.status == IssuanceRun.Status.FINISHED:
        return run
    rows = [row for row in certification_table(cohort=run.cohort) if row.decision.is_earned]
    pending = [row for row in rows if row.credential is None]
    IssuanceRun.objects.filter(pk=run.pk).update(
        status=IssuanceRun.Status.RUNNING,
        total=len(rows),
        done=len(rows) - len(pending),
        started_at=run.started_at or timezone.now(),
        updated_at=timezone.now(),
    )
    try:
        for row in pending:
            issued = credential_issue(row=row, by=run.requested_by, run_id=run.pk)
            IssuanceRun.objects.filter(pk=run.pk).update(
                done=F("done") + 1, issued=F("issued") + (1 if issued else 0), updated_at=timezone.now()
            )
    except Exception as error:
        IssuanceRun.objects.filter(pk=run.pk).update(
            status=IssuanceRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            updated_at=timezone.now(),
        )
        raise
    IssuanceRun.objects.filter(pk=run.pk).update(
        status=IssuanceRun.Status.FINISHED, finished_at=timezone.now(), updated_at=timezone.now()
    )
    run.refresh_from_db()
    return run


@task()
def issue_cohort(run_uuid: str) -> int:
    """The background task (run by `cecto db_worker`): returns how many this attempt issued."""
    return issuance_run_execute(run_uuid).issued
