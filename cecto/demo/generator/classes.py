"""Classes (cohorts) from 2016 to 2026, their sessions, and how many each enrolls.

How many classes of each kind: exam-preparation classes have 8 sessions and state-programme
classes about 44, in the mix that gives the scale's sessions per class (20 nationally: a third of
the classes are state-programme ones). Class sizes follow a long tail too, scaled so that the
attendance they produce comes near the scale's target.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from cecto.demo.generator import calendar
from cecto.demo.generator.directory import Directory
from cecto.demo.generator.entities import Cohort, Program, Session, Track
from cecto.demo.generator.frame import Frame, apportion, spread
from cecto.demo.generator.places import TOPICS, State
from cecto.demo.generator.scales import FIRST_YEAR, LAST_YEAR

CECTO_SESSIONS = 44  # per state-programme class (the exam-preparation ones have calendar.CTL_SESSIONS)
REALISED_SHARE = 0.93  # attendance rows per (enrollee, session held): modules not done, late, withdrawn
ALL_TOPICS = (*TOPICS, *calendar.FRAMEWORK_DOMAINS)
TOPIC_IDS = {name: index + 1 for index, name in enumerate(ALL_TOPICS)}


def class_counts(frame: Frame) -> tuple[int, int]:
    """State-programme classes and exam-preparation classes."""
    scale = frame.scale
    mean = scale.sessions / max(1, scale.cohorts)
    share = (mean - calendar.CTL_SESSIONS) / (CECTO_SESSIONS - calendar.CTL_SESSIONS)
    cecto = max(min(scale.cohorts, len(frame.states)), round(scale.cohorts * share))
    cecto = min(scale.cohorts, cecto)
    return cecto, scale.cohorts - cecto


class Classes:
    def __init__(self, frame: Frame, directory: Directory) -> None:
        self.frame = frame
        self.directory = directory
        self.cohorts: list[Cohort] = []
        self.sessions: list[Session] = []

    def schedule(
        self, cecto: dict[str, Program], ctl: Program, cecto_by_state: list[int], ctl_by_state: list[int]
    ) -> None:
        """The classes in order of their kick-off (and so of their ids), spread over the years:
        each kind's latest class is this year's, and every state's programme runs by its calendar
        (February to December, or August to June in states that follow the school year)."""
        frame, rng = self.frame, self.frame.rng
        years = LAST_YEAR - FIRST_YEAR + 1
        school_year = {state.code: rng.random() < 0.4 for state in frame.states}
        planned: list[tuple[date, Program, State, int, str]] = []
        states = [state for state, n in zip(frame.states, cecto_by_state, strict=True) for _ in range(n)]
        rng.shuffle(states)
        for state, slot in zip(states, spread(len(states), years), strict=True):
            term = "school" if school_year[state.code] else ""
            kickoff, _ = calendar.cecto_dates(FIRST_YEAR + slot, school_year=bool(term))
            planned.append((kickoff, cecto[state.code], state, FIRST_YEAR + slot, term))
        states = [state for state, n in zip(frame.states, ctl_by_state, strict=True) for _ in range(n)]
        rng.shuffle(states)
        for state, slot in zip(states, spread(len(states), 2 * years), strict=True):
            year, term = FIRST_YEAR + slot // 2, ("fall" if slot % 2 else "spring")
            kickoff, _ = calendar.ctl_dates(year, fall=term == "fall")
            planned.append((kickoff, ctl, state, year, term))
        planned.sort(key=lambda row: (row[0], row[1].kind, row[2].code))
        sections: Counter[tuple[str, int, str, str]] = Counter()
        for _, program, state, year, term in planned:
            key = (program.slug, year, term, state.code)
            sections[key] += 1
            self.cohorts.append(self._cohort(program, state, year, term, sections[key]))

    def _cohort(self, program: Program, state: State, year: int, term: str, section: int) -> Cohort:
        frame, rng = self.frame, self.frame.rng
        suffix = f", section {section}" if section > 1 else ""
        slug_suffix = f"-{section}" if section > 1 else ""
        if program.kind == "cecto":
            starts_on, ends_on = calendar.cecto_dates(year, school_year=term == "school")
            name = f"Class of {year}-{(year + 1) % 100:02d}" if term == "school" else f"Class of {year}"
            slug = f"{program.slug}-{year}{slug_suffix}"
        else:
            starts_on, ends_on = calendar.ctl_dates(year, fall=term == "fall")
            name = f"{term.title()} {year}, {state.name}"
            slug = f"ctl-prep-{year}-{term}-{state.code.lower()}{slug_suffix}"
        if ends_on < frame.as_of:
            status = "completed"
        elif starts_on > frame.as_of:
            status = "admitting" if (starts_on - frame.as_of).days <= 90 else "planned"
        else:
            status = "in_progress"
        cohort = Cohort(
            id=len(self.cohorts) + 1,
            uuid=frame.uuid(),
            program=program,
            state=state,
            slug=slug,
            name=name + suffix,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            capacity=None,
            check_in_by_qr=rng.random() < 0.3,
            imports_csv=rng.random() < 0.3,
            as_of_end=frame.as_of_end,
        )
        pool = program.instructors[state.code]
        cohort.instructors = rng.sample(pool, min(len(pool), 2 if program.kind == "cecto" else 1))
        return cohort

    def add_sessions(self, cecto_classes: int) -> None:
        """The exam-preparation classes' eight sessions each; the state-programme classes share the
        rest of the scale's sessions."""
        rng = self.frame.rng
        ctl_sessions = (len(self.cohorts) - cecto_classes) * calendar.CTL_SESSIONS
        cecto_sizes = apportion(max(0, self.frame.scale.sessions - ctl_sessions), [1.0] * cecto_classes)
        rng.shuffle(cecto_sizes)
        sizes = iter(cecto_sizes)
        for cohort in self.cohorts:
            program = cohort.program
            tracks: dict[str, Track | None]
            if program.kind == "cecto":
                drafts = calendar.cecto_sessions(
                    kickoff=cohort.starts_on,
                    graduation=cohort.ends_on,
                    time_zone=cohort.state.time_zone,
                    td_sessions=max(3, next(sizes) - calendar.FIXED_CECTO_SESSIONS),
                    rng=rng,
                    topics=rng.sample(TOPICS, len(TOPICS)),
                )
                tracks = {"joint": None, "td": program.tracks[0], "superintendent": program.tracks[1]}
                _, centre = self.directory.agencies[cohort.state.code]
                venue = f"{centre.name}, {cohort.state.name}"
            else:
                drafts = calendar.ctl_sessions(
                    kickoff=cohort.starts_on,
                    time_zone=cohort.state.time_zone,
                    venue_day=lambda: rng.randint(0, 1),
                )
                tracks = {"ctl": program.tracks[0]}
                venue = f"{self.directory.district(cohort.state).name} central office"
            self._add(cohort, drafts, tracks, venue)

    def _add(
        self, cohort: Cohort, drafts: list[calendar.SessionDraft], tracks: dict[str, Track | None], venue: str
    ) -> None:
        frame, rng = self.frame, self.frame.rng
        series: dict[str, uuid.UUID] = {}
        meeting = f"https://meet.{cohort.program.slug}.example/{cohort.slug}"
        for index, draft in enumerate(drafts):
            if draft.series and draft.series not in series:
                series[draft.series] = frame.uuid()
            topic_ids = [TOPIC_IDS[draft.topic]] if draft.topic else []
            if rng.random() < 0.3:
                extra = TOPIC_IDS[rng.choice(ALL_TOPICS)]
                topic_ids += [extra] if extra not in topic_ids else []
            # A few live sessions were called off (the calendars saw a new SEQUENCE).
            cancelled = draft.mode == calendar.ONLINE_LIVE and not draft.is_required and rng.random() < 0.01
            session = Session(
                id=len(self.sessions) + 1,
                uuid=frame.uuid(),
                cohort=cohort,
                title=draft.title,
                mode=draft.mode,
                starts_at=draft.starts_at,
                ends_at=draft.ends_at,
                held_on=draft.held_on,
                contact_minutes=draft.contact_minutes,
                track=tracks[draft.audience],
                is_required=draft.is_required,
                location=venue if draft.mode == calendar.IN_PERSON else "",
                meeting_url=meeting if draft.mode == calendar.ONLINE_LIVE else "",
                series_ref=series.get(draft.series),
                status="cancelled" if cancelled else "scheduled",
                sequence=1 if cancelled else 0,
                instructor=cohort.instructors[index % len(cohort.instructors)],
                topic_ids=tuple(topic_ids),
            )
            cohort.sessions.append(session)
            self.sessions.append(session)
        cohort.held = {
            track.id: [
                s
                for s in cohort.sessions
                if s.track in (None, track) and s.status == "scheduled" and s.ends_at <= frame.as_of_end
            ]
            for track in cohort.program.tracks
        }

    def size(self) -> None:
        """Enrollments per class: long-tailed, and large enough overall for the attendance target."""
        rng = self.frame.rng
        cecto: list[tuple[Cohort, float, float]] = []
        fixed_rows = 0.0
        for cohort in self.cohorts:
            if cohort.program.kind == "ctl":
                cohort.target_size = max(6, round(rng.lognormvariate(2.5, 0.35)))  # around 12
                fixed_rows += cohort.target_size * len(cohort.held[cohort.program.tracks[0].id])
            else:
                td, supt = cohort.program.tracks
                share = cohort.superintendent_share = rng.uniform(0.15, 0.3)
                per_enrollee = (1 - share) * len(cohort.held[td.id]) + share * len(cohort.held[supt.id])
                cecto.append((cohort, rng.lognormvariate(0, 0.45), per_enrollee))
        wanted = max(0.0, self.frame.scale.attendance / REALISED_SHARE - fixed_rows)

        def sizes(factor: float) -> list[int]:
            return [max(10, round(factor * weight)) for _, weight, _ in cecto]

        def rows(factor: float) -> float:
            return sum(size * per for size, (_, _, per) in zip(sizes(factor), cecto, strict=True))

        low, high = 0.0, 1.0
        while rows(high) < wanted and high < 1e6:
            high *= 2
        for _ in range(50):
            low, high = (
                ((low + high) / 2, high) if rows((low + high) / 2) < wanted else (low, (low + high) / 2)
            )
        for size, (cohort, _, _) in zip(sizes(high), cecto, strict=True):
            cohort.target_size = size
            cohort.capacity = min(32_000, (size // 10 + 2) * 10)
