"""Fictional places and names for the synthetic dataset: real state codes and time zones, made-up
districts, counties and people (none of them, and none of the names in the seeds, is real)."""

from __future__ import annotations

from dataclasses import dataclass

from cecto.demo.names import FIRST_NAMES, LAST_NAMES


@dataclass(frozen=True)
class State:
    code: str
    name: str
    time_zone: str
    weight: int  # roughly how many school districts it has: the share of districts it gets


NY, CHI, DEN, PHX, LA = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
)

STATES: tuple[State, ...] = (
    State("AL", "Alabama", CHI, 150), State("AK", "Alaska", "America/Anchorage", 54),
    State("AZ", "Arizona", PHX, 230), State("AR", "Arkansas", CHI, 235),
    State("CA", "California", LA, 1000), State("CO", "Colorado", DEN, 180),
    State("CT", "Connecticut", NY, 170), State("DE", "Delaware", NY, 20),
    State("FL", "Florida", NY, 67), State("GA", "Georgia", NY, 180),
    State("HI", "Hawaii", "Pacific/Honolulu", 1), State("ID", "Idaho", "America/Boise", 115),
    State("IL", "Illinois", CHI, 860), State("IN", "Indiana", "America/Indiana/Indianapolis", 290),
    State("IA", "Iowa", CHI, 330), State("KS", "Kansas", CHI, 290),
    State("KY", "Kentucky", NY, 170), State("LA", "Louisiana", CHI, 70),
    State("ME", "Maine", NY, 180), State("MD", "Maryland", NY, 24),
    State("MA", "Massachusetts", NY, 300), State("MI", "Michigan", "America/Detroit", 540),
    State("MN", "Minnesota", CHI, 330), State("MS", "Mississippi", CHI, 140),
    State("MO", "Missouri", CHI, 520), State("MT", "Montana", DEN, 400),
    State("NE", "Nebraska", CHI, 245), State("NV", "Nevada", LA, 17),
    State("NH", "New Hampshire", NY, 160), State("NJ", "New Jersey", NY, 580),
    State("NM", "New Mexico", DEN, 90), State("NY", "New York", NY, 690),
    State("NC", "North Carolina", NY, 115), State("ND", "North Dakota", CHI, 175),
    State("OH", "Ohio", NY, 610), State("OK", "Oklahoma", CHI, 510),
    State("OR", "Oregon", LA, 180), State("PA", "Pennsylvania", NY, 500),
    State("RI", "Rhode Island", NY, 36), State("SC", "South Carolina", NY, 80),
    State("SD", "South Dakota", CHI, 150), State("TN", "Tennessee", CHI, 140),
    State("TX", "Texas", CHI, 1020), State("UT", "Utah", DEN, 41),
    State("VT", "Vermont", NY, 120), State("VA", "Virginia", NY, 132),
    State("WA", "Washington", LA, 295), State("WV", "West Virginia", NY, 55),
    State("WI", "Wisconsin", CHI, 420), State("WY", "Wyoming", DEN, 48),
)  # fmt: skip
STATE_BY_CODE = {state.code: state for state in STATES}

TOWN_STEMS = (
    "Oak", "Cedar", "Maple", "Pine", "Elm", "Ash", "Birch", "Willow", "Spring", "Fair", "Green",
    "River", "Lake", "Rock", "Stone", "Clear", "Silver", "Red", "White", "Black", "Blue", "Gold",
    "North", "South", "East", "West", "Mill", "Bridge", "Brook", "Glen", "Ridge", "Hill", "Sun",
    "Wind", "Meadow", "Prairie", "Forest", "Harbor", "Iron", "Copper", "Salt", "Sand", "High",
    "Long", "Deer", "Fox", "Eagle", "Hawk", "Bear", "Wolf", "Elk", "Bison", "Cotton", "Corn",
    "Wheat", "Clover", "Rose", "Laurel", "Hickory", "Poplar", "Sycamore", "Magnolia", "Juniper",
    "Aspen", "Alder", "Hazel", "Heron", "Crane", "Otter", "Beaver", "Flint", "Granite", "Marble",
    "Amber", "Crystal", "Summer", "Winter", "Autumn", "Morning", "Evening", "Star", "Moon",
)  # fmt: skip
TOWN_ENDINGS = (
    "ville", "ton", "field", "ford", "wood", "dale", "burg", "port", "view", "crest", "land",
    "mont", "haven", "brook", "side", "water", " Springs", " City", " Falls", " Grove",
    " Heights", " Park", " Creek", " Valley", " Point", " Junction", " Bend", " Center",
    " Hollow", " Mesa",
)  # fmt: skip
COUNTY_NAMES = (
    "Adair", "Albemarle", "Allegheny", "Anson", "Avery", "Barton", "Beaufort", "Benton", "Bladen",
    "Bolivar", "Boone", "Bourbon", "Brazos", "Brunswick", "Buchanan", "Burke", "Butte", "Calhoun",
    "Camden", "Carbon", "Carroll", "Carteret", "Cass", "Catawba", "Chatham", "Cherokee",
    "Chester", "Chowan", "Clark", "Clay", "Clinton", "Colfax", "Columbia", "Coos", "Crawford",
    "Cumberland", "Currituck", "Custer", "Dakota", "Dare", "Davidson", "Dawson", "Decatur",
    "DeKalb", "Delta", "Dodge", "Douglas", "Dubois", "Duplin", "Edgecombe", "Elbert", "Emmet",
    "Essex", "Fairfax", "Fayette", "Fillmore", "Fleming", "Floyd", "Franklin", "Fremont",
    "Fulton", "Garfield", "Gaston", "Gates", "Gilmer", "Glades", "Graham", "Granville", "Grayson",
    "Greene", "Grundy", "Guilford", "Halifax", "Hamilton", "Hancock", "Hardin", "Harnett",
    "Harrison", "Haywood", "Henderson", "Hertford", "Hidalgo", "Hoke", "Houston", "Howard",
    "Hyde", "Iredell", "Jasper", "Jefferson", "Johnston", "Juniata", "Kent", "Kiowa", "Knox",
    "Lafayette", "Lamar", "Lawrence", "Lenoir", "Lincoln", "Linn", "Logan", "Lyon", "Macon",
    "Madison", "Marion", "Martin", "Mason", "McDowell", "Mercer", "Mitchell", "Monroe",
    "Montgomery", "Moore", "Morgan", "Nash", "Newton", "Noble", "Onslow", "Orange", "Osage",
    "Otero", "Ottawa", "Pamlico", "Pasquotank", "Pender", "Perry", "Person", "Pike", "Pitt",
    "Polk", "Pulaski", "Putnam", "Quay", "Randolph", "Ray", "Richland", "Richmond", "Ripley",
    "Robeson", "Rockingham", "Rowan", "Rutherford", "Saline", "Sampson", "Sangamon", "Scotland",
    "Scott", "Sevier", "Shelby", "Sierra", "Stanly", "Stark", "Stokes", "Sumner", "Surry",
    "Swain", "Taney", "Teton", "Tipton", "Transylvania", "Tyrrell", "Union", "Vance", "Vernon",
    "Wabash", "Wake", "Warren", "Washington", "Watauga", "Wayne", "Webster", "Wilkes", "Wilson",
    "Yadkin", "Yancey", "Yates", "Yuma",
)  # fmt: skip
DISTRICT_PATTERNS = (
    "{town} City Schools", "{town} Public Schools", "{town} Unified School District",
    "{town} Independent School District", "{town} Community School District",
    "{town} Area School District", "{town} Consolidated Schools",
)  # fmt: skip

# More fictional names beside the demo's own (cecto/demo/names.py), so a national dataset repeats
# a full name less often. Checked against the seeds' names like the demo's.
MORE_FIRST_NAMES = (
    "Abel", "Adela", "Alton", "Anders", "Aurora", "Basil", "Blair", "Bram", "Callum", "Carmen",
    "Cyrus", "Dahlia", "Damon", "Dinah", "Eamon", "Elena", "Enzo", "Fern", "Florian", "Gavin",
    "Greta", "Harlan", "Hollis", "Imogen", "Iris", "Jada", "Jovan", "Kenji", "Lacey", "Leroy",
    "Linnea", "Lowell", "Marcel", "Marta", "Mateo", "Nell", "Nico", "Odette", "Omar", "Pearl",
    "Petra", "Ramon", "Reva", "Roscoe", "Sadie", "Selma", "Sterling", "Talia", "Tobias", "Uma",
    "Vance", "Vera", "Wilma", "Xavier", "Yusuf", "Zelda", "Zora", "Priya", "Kofi", "Mei",
)  # fmt: skip
MORE_LAST_NAMES = (
    "Ackerly", "Ainsley", "Barlowe", "Bledsoe", "Brightwell", "Cantrell", "Castellanos", "Chao",
    "Culpepper", "Dunleavy", "Easterling", "Espinoza", "Fairbairn", "Galloway", "Goforth",
    "Haddock", "Hargrove", "Hollingsworth", "Ibarra", "Iverson", "Kowalczyk", "Lindqvist",
    "Lockhart", "Marchetti", "Mayfield", "Nakamura", "Northcutt", "Okonkwo", "Ortega",
    "Pemberton", "Quintero", "Rasmussen", "Rutledge", "Sandoval", "Satterfield", "Strickland",
    "Takahashi", "Thibodeaux", "Underwood", "Vanterpool", "Villanueva", "Waddell", "Whitfield",
    "Winslow", "Yarbrough", "Zamora", "Zielinski", "Achterberg", "Boudreaux", "Delacroix",
)  # fmt: skip

ALL_FIRST_NAMES = (*FIRST_NAMES, *MORE_FIRST_NAMES)
ALL_LAST_NAMES = (*LAST_NAMES, *MORE_LAST_NAMES)

TOPICS = (
    "Enterprise issues", "Strategic technology planning", "Communications", "Project management",
    "Emerging trends", "Risk assessment and management", "Acquisition management",
    "Change management", "Leadership", "Security", "Legal and regulatory issues",
    "Social media law", "Financial trends", "Organizational transformation", "IT governance",
    "E-Rate", "State contracting and purchasing law",
    "Managing personnel and generational differences", "Data privacy", "Infrastructure",
    "Instructional technology", "Budget and finance", "Business continuity", "Cybersecurity",
)  # fmt: skip
