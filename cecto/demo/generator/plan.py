"""The synthetic dataset, planned from a seed: pure Python, no database, no clock, no global random.

`plan_for(scale, seed=…, as_of=…)` builds the organizations, people, programmes, classes,
sessions and enrollments in memory, with every id and uuid they will have; attendance and the
ledger are drawn again per enrollment when the rows are written (`Plan.marks`). The same scale,
seed and as-of day give the same plan, row for row, on any machine.

The steps, each in its module: `directory` (agencies, districts with a long tail of sizes,
people), `programmes` (a CeCTO-style programme per state, a national CETL-style one, their
administrators and instructors), `classes` (classes from 2016 to 2026 and their sessions in the
three modes), `enrolling` (who took part, when, and how it turned out) and `attendance`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from cecto.demo.generator.attendance import Adjustment, Mark, adjustments_for, marks_for
from cecto.demo.generator.classes import ALL_TOPICS, Classes, class_counts
from cecto.demo.generator.directory import SUPT, TD, Directory
from cecto.demo.generator.enrolling import Enroller
from cecto.demo.generator.entities import Cohort, Enrollment, Organization, Person, Program, Session, Track
from cecto.demo.generator.frame import Frame, apportion
from cecto.demo.generator.places import State
from cecto.demo.generator.programmes import Catalogue
from cecto.demo.generator.scales import Scale


@dataclass(frozen=True)
class BenchLogin:
    username: str
    role: str
    what_to_try: str
    person: Person | None  # None: the superuser, who is nobody in the programmes


@dataclass
class Plan:
    scale: Scale
    seed: int
    as_of: date
    as_of_end: datetime
    states: list[State]
    organizations: list[Organization]
    people: list[Person]
    topics: tuple[str, ...]
    programs: list[Program]
    tracks: list[Track]
    cohorts: list[Cohort]
    sessions: list[Session]
    enrollments: list[Enrollment]
    logins: list[BenchLogin]
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def superuser_id(self) -> int:
        """The bench superuser's login comes after everyone's (each person's login has their id)."""
        return len(self.people) + 1

    def marks(self, enrollment: Enrollment) -> list[Mark]:
        return marks_for(enrollment, seed=self.seed)

    def adjustments(self, enrollment: Enrollment) -> list[Adjustment]:
        return adjustments_for(enrollment, seed=self.seed)


def plan_for(scale: Scale, *, seed: int, as_of: date) -> Plan:
    frame = Frame(scale, seed, as_of)
    directory = Directory(frame)
    catalogue = Catalogue(directory)
    weights = [directory.state_weight(state) for state in frame.states]
    cecto_classes, ctl_classes = class_counts(frame)
    cecto_by_state = apportion(cecto_classes, weights, minimum=1)
    ctl_by_state = apportion(ctl_classes, weights, minimum=1 if ctl_classes >= len(frame.states) else 0)
    cecto = {state.code: catalogue.cecto(state) for state in frame.states}
    ctl = catalogue.ctl(directory.network)
    for state, state_classes, ctl_state_classes in zip(
        frame.states, cecto_by_state, ctl_by_state, strict=True
    ):
        catalogue.staff(cecto[state.code], state, instructors=min(12, max(2, state_classes // 3 + 2)))
        catalogue.staff(ctl, state, instructors=min(5, max(1, ctl_state_classes // 8 + 1)))
    classes = Classes(frame, directory)
    classes.schedule(cecto, ctl, cecto_by_state, ctl_by_state)
    classes.add_sessions(cecto_classes)
    classes.size()
    enroller = Enroller(frame, directory, slots=sum(cohort.target_size for cohort in classes.cohorts))
    for cohort in classes.cohorts:
        enroller.enroll(cohort)
    enroller.directory_people()
    return Plan(
        scale=scale,
        seed=seed,
        as_of=as_of,
        as_of_end=frame.as_of_end,
        states=frame.states,
        organizations=directory.organizations,
        people=directory.people,
        topics=ALL_TOPICS,
        programs=catalogue.programs,
        tracks=catalogue.tracks,
        cohorts=classes.cohorts,
        sessions=classes.sessions,
        enrollments=enroller.enrollments,
        logins=_logins(classes.cohorts),
        counts=enroller.counts,
    )


def _logins(cohorts: list[Cohort]) -> list[BenchLogin]:
    """The bench logins: a superuser, and the people of the largest state-programme class in
    progress that has a district team (a candidate and their superintendent, both active)."""
    logins = [BenchLogin("bench-admin", "Superuser", "everything, and the Django admin", None)]
    running = [c for c in cohorts if c.program.kind == "cecto" and c.status == "in_progress"]
    running.sort(key=lambda c: (-len(c.enrollments), c.id))
    for cohort in running:
        active = [e for e in cohort.enrollments if e.status == "active"]
        superintendents = {e.person.organization.id: e.person for e in active if e.track.audience == SUPT}
        candidate = next(
            (
                e.person
                for e in active
                if e.track.audience == TD and e.person.organization.id in superintendents
            ),
            None,
        )
        if candidate is None:
            continue
        cast = (
            (
                "bench-programme-admin",
                "Programme administrator",
                "the class's dashboard and roster",
                cohort.program.administrators[0],
            ),
            ("bench-instructor", "Instructor", "roll call, self-paced approvals", cohort.instructors[0]),
            ("bench-candidate", "Technology-director candidate", "progress: hours against 240", candidate),
            (
                "bench-superintendent",
                "Superintendent",
                "the district team",
                superintendents[candidate.organization.id],
            ),
        )
        for username, role, what, person in cast:
            person.username = username
            person.is_staff = username == "bench-programme-admin"
            logins.append(BenchLogin(username, role, f"{cohort.slug}: {what}", person))
        break
    return logins
