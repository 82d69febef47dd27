"""Organizations and people: state agencies and university centres, districts whose sizes follow
a long tail (most small, a few huge), and people with plausible careers."""

from __future__ import annotations

import bisect
import itertools
import math
import string
from datetime import UTC, date, datetime, time

from django.utils.text import slugify

from cecto.demo.generator.entities import Organization, Person
from cecto.demo.generator.frame import Frame, apportion
from cecto.demo.generator.places import (
    ALL_FIRST_NAMES,
    ALL_LAST_NAMES,
    COUNTY_NAMES,
    DISTRICT_PATTERNS,
    TOWN_ENDINGS,
    TOWN_STEMS,
    State,
)

TD, STAFF, SUPT, AGENCY, OTHER = (
    "technology_director",
    "technology_staff",
    "superintendent",
    "agency_staff",
    "other",
)
TITLES = {
    TD: (
        "Chief Technology Officer",
        "Director of Technology",
        "Technology Director",
        "Executive Director of Information Technology",
    ),
    STAFF: (
        "Network Manager",
        "Instructional Technology Coordinator",
        "Systems Administrator",
        "Technology Specialist",
        "Data and Information Manager",
    ),
    SUPT: ("Superintendent",),
    AGENCY: ("Digital Learning Consultant", "Programme Administrator"),
    OTHER: ("Lecturer in Educational Technology Leadership",),
}
DEGREES = {
    TD: (("bachelor", "master", "specialist", "doctorate"), (30, 50, 10, 10)),
    STAFF: (("associate", "bachelor", "master"), (15, 55, 30)),
    SUPT: (("master", "specialist", "doctorate"), (20, 25, 55)),
    AGENCY: (("master", "doctorate"), (70, 30)),
    OTHER: (("master", "doctorate"), (40, 60)),
}
PASSWORD_CHARACTERS = string.ascii_letters + string.digits
MEDIAN_STUDENTS = 1400
STUDENTS_SPREAD = 1.25  # the lognormal's sigma: a few districts of 100,000+, most of a few thousand


class Directory:
    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.organizations: list[Organization] = []
        self.people: list[Person] = []
        self.emails: set[str] = set()
        self.districts: dict[str, list[Organization]] = {}
        self.cumulative: dict[str, list[float]] = {}
        self.agencies: dict[str, tuple[Organization, Organization]] = {}
        self.network = self.organization(
            slug="k12-technology-leadership-network",
            name="K-12 Technology Leadership Network",
            kind="nonprofit_network",
            short_name="KTLN",
            website="https://ktln.example",
        )
        for state in frame.states:
            self._state_organizations(state)
        counts = apportion(frame.scale.districts, [state.weight for state in frame.states], minimum=1)
        for state, count in zip(frame.states, counts, strict=True):
            self._districts(state, count)

    def organization(
        self,
        *,
        slug: str,
        name: str,
        kind: str,
        short_name: str = "",
        state: str = "",
        state_code: str = "",
        county: str = "",
        enrollment: int | None = None,
        website: str = "",
        weight: float = 0.0,
    ) -> Organization:
        organization = Organization(
            id=len(self.organizations) + 1,
            slug=slug,
            name=name,
            kind=kind,
            short_name=short_name,
            state=state,
            state_code=state_code,
            county=county,
            enrollment=enrollment,
            website=website,
            weight=weight,
        )
        self.organizations.append(organization)
        return organization

    def _state_organizations(self, state: State) -> None:
        code = state.code.lower()
        agency = self.organization(
            slug=f"{code}-department-of-education",
            name=f"{state.name} Department of Education",
            short_name=f"{state.code}DE",
            kind="state_agency",
            state=state.code,
            website=f"https://education.{code}.example",
        )
        centre = self.organization(
            slug=f"{code}-center-for-technology-leadership",
            name=f"{state.name} State University, Center for Technology Leadership",
            short_name=f"{state.code} CTL",
            kind="university_centre",
            state=state.code,
            website=f"https://ctl.{code}-state.example",
        )
        self.agencies[state.code] = (agency, centre)

    def _districts(self, state: State, count: int) -> None:
        """County districts first (larger), then town districts named the way the state names them."""
        rng = self.frame.rng
        towns = [stem + ending for stem in TOWN_STEMS for ending in TOWN_ENDINGS]
        rng.shuffle(towns)
        pool = list(dict.fromkeys((*COUNTY_NAMES, *TOWN_STEMS)))
        counties = rng.sample(pool, min(len(pool), max(1, round(count / 4))))
        districts = []
        for index in range(count):
            county = counties[index % len(counties)]
            if index < len(counties):
                name, base, boost = f"{county} County Schools", f"{county} County", 2.0
            else:
                town = towns[index % len(towns)] + (
                    "" if index < len(towns) else f" {index // len(towns) + 1}"
                )
                if state.code == "TX" and rng.random() < 0.8:
                    pattern = "{town} Independent School District"
                else:
                    pattern = rng.choice(DISTRICT_PATTERNS)
                name, base, boost = pattern.format(town=town), town, 1.0
            students = rng.lognormvariate(math.log(MEDIAN_STUDENTS), STUDENTS_SPREAD) * boost
            students = int(min(1_100_000, max(40, students)))
            code = f"{index + 1:04d}"
            districts.append(
                self.organization(
                    slug=f"{state.code.lower()}-{code}-{slugify(name)}"[:120],
                    name=name,
                    kind="school_district",
                    state=state.code,
                    state_code=code,
                    county=county,
                    enrollment=students,
                    website=f"https://www.{slugify(base)}.k12.{state.code.lower()}.example",
                    weight=students**0.55,  # larger districts send more people, less than in proportion
                )
            )
        self.districts[state.code] = districts
        self.cumulative[state.code] = list(itertools.accumulate(d.weight for d in districts))

    def state_weight(self, state: State) -> float:
        return self.cumulative[state.code][-1]

    def district(self, state: State) -> Organization:
        """A district of the state, the larger ones more often."""
        cumulative = self.cumulative[state.code]
        index = bisect.bisect_right(cumulative, self.frame.rng.random() * cumulative[-1])
        return self.districts[state.code][min(index, len(cumulative) - 1)]

    def person(self, organization: Organization, role: str, *, joined: date, years_ago: int = 0) -> Person:
        """Someone new; `years_ago` is how long ago they first took part (their career since)."""
        rng = self.frame.rng
        first, last = rng.choice(ALL_FIRST_NAMES), rng.choice(ALL_LAST_NAMES)
        local = f"{first}.{last}".lower()
        domain = organization.website.removeprefix("https://").removeprefix("www.")
        email, n = f"{local}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        in_role = min(40, rng.randint(1, 12 if role in (SUPT, STAFF) else 15) + years_ago)
        degrees, weights = DEGREES[role]
        person = Person(
            id=len(self.people) + 1,
            uuid=self.frame.uuid(),
            first_name=first,
            last_name=last,
            email=email,
            organization=organization,
            role=role,
            title=rng.choice(TITLES[role]),
            years_in_role=in_role,
            years_in_k12_technology=0 if role == SUPT else in_role + rng.randint(0, 15),
            highest_degree=rng.choices(degrees, weights)[0],
            directory_opt_in=rng.random() < 0.55,
            phone=f"{rng.randint(201, 989)}-555-{rng.randint(100, 199):04d}" if rng.random() < 0.4 else "",
            joined=datetime.combine(joined, time(15), tzinfo=UTC),
            # What make_password(None) gives: "!" and 40 letters and digits (here from the seed).
            password="!" + "".join(rng.choices(PASSWORD_CHARACTERS, k=40)),
        )
        person.username = email
        self.people.append(person)
        return person
