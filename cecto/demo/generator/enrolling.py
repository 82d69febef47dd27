"""Enrollments, class by class in the order the classes began, and how each one turned out.

People come from their state's districts, the larger districts more often. A technology director
or staff member may come back: preparation first and the state programme later, or a withdrawn
candidate a year later; how often people come back is set so the people come out at the scale's
count. Superintendents come from their candidates' districts, so each makes a district team.
An enrollment's status follows from its attendance: completed (and certified a few weeks later)
when the track's requirements are met, withdrawn when they leave or fall short.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from cecto.demo.generator.attendance import (
    NOT_MET,
    OUTCOME,
    WITHDRAWAL_REASONS,
    adjustments_for,
    enrollment_rng,
    marks_for,
    requirements_met,
)
from cecto.demo.generator.directory import STAFF, SUPT, TD, Directory
from cecto.demo.generator.entities import Cohort, Enrollment, Organization, Person, Track
from cecto.demo.generator.frame import Frame

LATE_SHARE = 0.06  # of enrollments made after the kick-off
WITHDRAWAL_SHARE = 0.06  # of enrollments that leave part-way
ENGAGEMENT = ((0, 1, 2), (88, 9, 3))  # steady, patchy, struggling


class Enroller:
    def __init__(self, frame: Frame, directory: Directory, *, slots: int) -> None:
        self.frame = frame
        self.directory = directory
        self.enrollments: list[Enrollment] = []
        self.counts: Counter[str] = Counter()
        self.budget = max(0, frame.scale.people - len(directory.people))  # participants to create
        self.created = 0
        self.slots_left = slots
        self.state_people: dict[str, list[Person]] = {}  # technology people who took part, by state

    def enroll(self, cohort: Cohort) -> None:
        directory, program = self.directory, cohort.program
        if program.kind == "ctl":
            for _ in range(cohort.target_size):
                person = self._tech_person(cohort, directory.district(cohort.state))
                self._enrollment(cohort, program.tracks[0], person)
            return
        td_track, supt_track = program.tracks
        superintendents = round(cohort.target_size * cohort.superintendent_share)
        candidates = [
            self._tech_person(cohort, directory.district(cohort.state))
            for _ in range(cohort.target_size - superintendents)
        ]
        for person in candidates:
            self._enrollment(cohort, td_track, person)
        districts = list(
            dict.fromkeys(p.organization for p in candidates if p.organization.kind == "school_district")
        )
        for district in self.frame.rng.sample(districts, min(superintendents, len(districts))):
            self._enrollment(cohort, supt_track, self._superintendent(cohort, district))

    def _fresh_share(self) -> float:
        return min(0.92, max(0.05, (self.budget - self.created) / max(1, self.slots_left)))

    def _tech_person(self, cohort: Cohort, district: Organization) -> Person:
        """A technology director or staff member from the district: someone who took part before
        (and has not done, and is not doing, this programme), or someone new."""
        rng = self.frame.rng
        self.slots_left -= 1
        if rng.random() >= self._fresh_share():
            person = self._returning(district.tech_people, cohort) or self._returning(
                self.state_people.get(cohort.state.code, []), cohort, tries=40
            )
            if person is not None:
                person.cohort_ids.add(cohort.id)
                return person
        role = TD if rng.random() < (0.5 if cohort.program.kind == "ctl" else 0.75) else STAFF
        person = self._new(cohort, district, role)
        district.tech_people.append(person)
        self.state_people.setdefault(cohort.state.code, []).append(person)
        return person

    def _returning(self, people: list[Person], cohort: Cohort, *, tries: int = 0) -> Person | None:
        """Someone of `people` who may take this class: each in turn, or `tries` picked at random."""
        if not people:
            return None
        rng = self.frame.rng
        if tries:
            candidates: Iterable[Person] = (people[rng.randrange(len(people))] for _ in range(tries))
        else:
            start = rng.randrange(len(people))
            candidates = itertools.chain(people[start:], people[:start])
        program = cohort.program.id
        for person in candidates:
            if (
                cohort.id not in person.cohort_ids
                and person.programs.get(program, "withdrawn") == "withdrawn"
            ):
                return person
        return None

    def _superintendent(self, cohort: Cohort, district: Organization) -> Person:
        """The district's superintendent, who may come again with a later candidate, or a new one."""
        self.slots_left -= 1
        current = district.superintendent
        if current is not None and cohort.id not in current.cohort_ids:
            status = current.programs.get(cohort.program.id, "withdrawn")
            again = status in ("completed", "certified") and self.frame.rng.random() >= self._fresh_share()
            if status == "withdrawn" or again:
                current.cohort_ids.add(cohort.id)
                return current
        person = district.superintendent = self._new(cohort, district, SUPT)
        return person

    def _new(self, cohort: Cohort, district: Organization, role: str) -> Person:
        years_ago = self.frame.as_of.year - cohort.starts_on.year
        joined = cohort.starts_on - timedelta(days=60)
        person = self.directory.person(district, role, joined=joined, years_ago=years_ago)
        person.cohort_ids.add(cohort.id)
        self.created += 1
        return person

    def _enrollment(self, cohort: Cohort, track: Track, person: Person) -> None:
        frame, rng = self.frame, self.frame.rng
        as_of, starts_on = frame.as_of, cohort.starts_on
        length = (cohort.ends_on - starts_on).days
        enrolled_on = starts_on
        if rng.random() < LATE_SHARE:
            enrolled_on = starts_on + timedelta(days=rng.randint(14, max(14, length // 4)))
        applied_on = starts_on - timedelta(days=rng.randint(25, 80))
        if enrolled_on > starts_on:
            applied_on = enrolled_on - timedelta(days=rng.randint(5, 20))
        admitted = min(enrolled_on - timedelta(days=3), starts_on - timedelta(days=21))
        admitted_on: date | None = admitted
        engagement = rng.choices(*ENGAGEMENT)[0]
        withdraw_after = None
        if rng.random() < WITHDRAWAL_SHARE:
            withdraw_after = max(
                enrolled_on, starts_on + timedelta(days=int(length * rng.uniform(0.1, 0.75)))
            )
        status = "active"
        if starts_on > as_of or (cohort.status == "in_progress" and rng.random() < 0.02):
            status = "admitted" if starts_on > as_of and rng.random() < 0.6 else "applied"
            applied_on = min(applied_on, as_of - timedelta(days=rng.randint(1, 20)))
            admitted_on = min(admitted, as_of) if status == "admitted" else None
        enrollment = Enrollment(
            id=len(self.enrollments) + 1,
            uuid=frame.uuid(),
            person=person,
            cohort=cohort,
            track=track,
            applied_on=applied_on,
            admitted_on=admitted_on,
            enrolled_on=enrolled_on,
            engagement=engagement,
            withdraw_after=withdraw_after,
            status=status,
        )
        self.enrollments.append(enrollment)
        cohort.enrollments.append(enrollment)
        self._outcome(enrollment)
        person.programs[cohort.program.id] = enrollment.status

    def _outcome(self, enrollment: Enrollment) -> None:
        """Where the enrollment stands on the as-of day, from how it went (and count its rows)."""
        marks = marks_for(enrollment, seed=self.frame.seed)
        adjustments = adjustments_for(enrollment, seed=self.frame.seed)
        counts = self.counts
        counts["attendance"] += len(marks)
        counts["entries"] += len(adjustments)
        for mark in marks:
            counts["completions"] += mark.completion_uuid != 0
            counts["entries"] += mark.entry_uuid != 0
        self._status(enrollment, requirements_met(enrollment, marks, adjustments))
        counts[f"status:{enrollment.status}"] += 1
        counts["status_changes"] += len(status_history(enrollment))

    def _status(self, enrollment: Enrollment, met: bool) -> None:
        if enrollment.status in ("applied", "admitted"):
            return
        as_of = self.frame.as_of
        rng = enrollment_rng(self.frame.seed, enrollment, OUTCOME)
        cohort = enrollment.cohort
        leaves = enrollment.withdraw_after
        ended = cohort.ends_on < as_of
        if leaves is not None and leaves < min(cohort.ends_on, as_of) and not (ended and met):
            enrollment.status = "withdrawn"
            enrollment.finished_on = min(as_of, leaves + timedelta(days=rng.randint(1, 10)))
            enrollment.reason = rng.choice(WITHDRAWAL_REASONS)
        elif ended and met:  # including those who met the requirements before leaving early
            enrollment.status = "completed"
            enrollment.finished_on = cohort.ends_on
            certified_on = cohort.ends_on + timedelta(days=rng.randint(10, 40))
            if certified_on <= as_of and rng.random() < 0.97:
                enrollment.status = "certified"
                enrollment.certified_on = certified_on
        elif ended and cohort.ends_on + timedelta(days=14) <= as_of:
            enrollment.status = "withdrawn"
            enrollment.finished_on = cohort.ends_on + timedelta(days=14)
            enrollment.reason = NOT_MET

    def directory_people(self) -> None:
        """The rest of the people: district leaders in the directory who have not taken part (yet)."""
        frame, directory = self.frame, self.directory
        weights = list(itertools.accumulate(directory.state_weight(state) for state in frame.states))
        joined = frame.as_of - timedelta(days=30)
        while self.created < self.budget:
            index = bisect.bisect_right(weights, frame.rng.random() * weights[-1])
            district = directory.district(frame.states[min(index, len(frame.states) - 1)])
            if district.superintendent is None:
                district.superintendent = directory.person(district, SUPT, joined=joined)
            else:
                role = STAFF if district.tech_people else TD
                district.tech_people.append(directory.person(district, role, joined=joined))
            self.created += 1


def status_history(enrollment: Enrollment) -> list[tuple[str, str, date, bool, str]]:
    """The enrollment's status changes as they happened: (from, to, day, by an administrator, reason)."""
    steps: list[tuple[str, str, date, bool, str]] = [("", "applied", enrollment.applied_on, False, "")]
    if enrollment.admitted_on is not None:
        steps.append(("applied", "admitted", enrollment.admitted_on, True, ""))
    if enrollment.status in ("applied", "admitted"):
        return steps
    steps.append(("admitted", "active", enrollment.enrolled_on, True, ""))
    if enrollment.status == "withdrawn" and enrollment.finished_on is not None:
        steps.append(("active", "withdrawn", enrollment.finished_on, True, enrollment.reason))
    elif enrollment.status in ("completed", "certified") and enrollment.finished_on is not None:
        steps.append(("active", "completed", enrollment.finished_on, True, "Met the track's requirements."))
        if enrollment.certified_on is not None:
            steps.append(("completed", "certified", enrollment.certified_on, True, "Credential issued."))
    return steps
