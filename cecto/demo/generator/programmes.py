"""Programmes and their tracks, administrators and instructors.

Every state runs a CeCTO-style programme: a 240-hour technology-director track and a 20-hour
superintendent track ("Leaders for the 21st Century") that share the required joint sessions.
One national CETL-style programme prepares candidates for a certification exam, with classes in
every state, each session counting in full from three quarters of it attended.
"""

from __future__ import annotations

from datetime import date

from cecto.demo.generator.directory import AGENCY, OTHER, STAFF, SUPT, TD, Directory
from cecto.demo.generator.entities import Organization, Program, Track
from cecto.demo.generator.places import State
from cecto.demo.generator.scales import FIRST_YEAR


class Catalogue:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.programs: list[Program] = []
        self.tracks: list[Track] = []

    def track(
        self,
        program: Program,
        *,
        slug: str,
        name: str,
        audience: str,
        description: str,
        required_contact_minutes: int,
        required_sessions: str,
        credential_name: str,
        partial_credit: str = "proportional",
        partial_credit_threshold_percent: int | None = None,
        duration_months: int = 10,
    ) -> Track:
        track = Track(
            id=len(self.tracks) + 1,
            program=program,
            slug=slug,
            name=name,
            audience=audience,
            description=description,
            required_contact_minutes=required_contact_minutes,
            required_sessions=required_sessions,
            credential_name=credential_name,
            partial_credit=partial_credit,
            partial_credit_threshold_percent=partial_credit_threshold_percent,
            duration_months=duration_months,
            position=len(program.tracks),
        )
        program.tracks.append(track)
        self.tracks.append(track)
        return track

    def cecto(self, state: State) -> Program:
        agency, centre = self.directory.agencies[state.code]
        program = Program(
            id=len(self.programs) + 1,
            kind="cecto",
            slug=f"{state.code.lower()}-cecto",
            name=f"{state.name} Certified Educational Chief Technology Officer ({state.code} CeCTO)",
            short_name=f"{state.code} CeCTO",
            description=(
                f"A ten-month certification for {state.name} school-district technology directors, "
                "with a companion track for their superintendents. Instruction is face to face, live "
                "online and self-paced; CEUs are awarded."
            ),
            time_zone=state.time_zone,
            eligibility_summary=f"{state.name} school-district technology leaders and their superintendents.",
            state=state,
            partners=[
                (agency, "Sponsor; admits candidates and awards the certification"),
                (centre, "Designs and teaches the curriculum"),
            ],
            eligibility=[
                ("district_in_state", state.code, (), None),
                ("district_role", "", (TD, STAFF, SUPT), None),
            ],
        )
        self.programs.append(program)
        self.track(
            program,
            slug="technology-director",
            name=f"{state.code} CeCTO candidate",
            audience=TD,
            description="240 hours of instruction over about ten months for district technology directors.",
            required_contact_minutes=240 * 60,
            required_sessions="designated",
            credential_name=f"{state.name} Certified Educational Chief Technology Officer",
        )
        self.track(
            program,
            slug="superintendent",
            name="Leaders for the 21st Century",
            audience=SUPT,
            description=(
                "A 20-hour course for superintendents, plus the joint sessions with their candidates."
            ),
            required_contact_minutes=20 * 60,
            required_sessions="all_joint",
            credential_name="Leaders for the 21st Century",
        )
        return program

    def ctl(self, network: Organization) -> Program:
        program = Program(
            id=len(self.programs) + 1,
            kind="ctl",
            slug="ctl-prep",
            name="Certified K-12 Technology Leader: exam preparation",
            short_name="CTL Prep",
            description=(
                "Five months of preparation for the certification exam, by framework domain: live "
                "online study sessions, self-paced modules and an in-person workshop before the exam."
            ),
            time_zone="America/New_York",
            eligibility_summary="District technology leaders and their staff, in any state.",
            state=None,
            partners=[(network, "Runs the programme and sets the exam")],
            eligibility=[("district_role", "", (TD, STAFF), None)],
        )
        self.programs.append(program)
        self.track(
            program,
            slug="candidate",
            name="Exam preparation",
            audience=TD,
            description=(
                "30 hours of preparation by framework domain; a session counts in full from three "
                "quarters of it attended."
            ),
            required_contact_minutes=30 * 60,
            required_sessions="none",
            credential_name="Certified K-12 Technology Leader (preparation)",
            partial_credit="threshold",
            partial_credit_threshold_percent=75,
            duration_months=5,
        )
        return program

    def staff(self, program: Program, state: State, *, instructors: int) -> None:
        """Two administrators (once per programme) and the state's instructors: university staff
        and, some of them (all the exam-preparation facilitators), sitting CTOs of large districts."""
        directory = self.directory
        agency, centre = directory.agencies[state.code]
        joined = date(FIRST_YEAR - 1, 9, 1)
        if not program.administrators:
            home = directory.network if program.kind == "ctl" else agency
            program.administrators = [directory.person(home, AGENCY, joined=joined) for _ in range(2)]
        big = sorted(directory.districts[state.code], key=lambda d: (-(d.enrollment or 0), d.id))[
            :instructors
        ]
        pool = []
        for index in range(instructors):
            if program.kind == "ctl" or index % 5 >= 3:
                home, role = big[index % len(big)], TD
            else:
                home, role = centre, OTHER
            pool.append(directory.person(home, role, joined=joined, years_ago=6))
        program.instructors[state.code] = pool
