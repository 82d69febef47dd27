"""Fictional names for the demo. Nobody here is a real person, and none of the names in the
programme's published material (the seeds) is used: tests/test_demo.py checks the exclusions."""

FIRST_NAMES = (
    "Aaliyah", "Adrian", "Alma", "Amos", "Anika", "Ansel", "Beatrice", "Bennie", "Bianca", "Calvin",
    "Camille", "Cedric", "Celeste", "Clint", "Cora", "Dalton", "Darius", "Delia", "Desmond", "Dorian",
    "Edith", "Elias", "Elise", "Emmett", "Esther", "Faye", "Felix", "Flora", "Garrett", "Gemma",
    "Gideon", "Gloria", "Hazel", "Hector", "Ingrid", "Irving", "Ivy", "Jasper", "Joelle", "Jonas",
    "Keira", "Lamar", "Leona", "Lionel", "Lorena", "Lucian", "Mabel", "Malcolm", "Marisol", "Milo",
    "Miriam", "Nadia", "Nolan", "Noreen", "Odell", "Ophelia", "Orson", "Paloma", "Quentin", "Rosalind",
    "Rufus", "Sabine", "Silas", "Soledad", "Tamsin", "Thaddeus", "Ursula", "Vernon", "Wendell", "Yolanda",
)

LAST_NAMES = (
    "Abernathy", "Alcott", "Ashby", "Bannister", "Barrow", "Beasley", "Blevins", "Brannock", "Burchette",
    "Caldwell", "Carraway", "Causey", "Chadwick", "Coble", "Crumpler", "Dabney", "Dellinger", "Dowdy",
    "Eubanks", "Faircloth", "Fennell", "Gaskins", "Gentry", "Gurganus", "Hairston", "Hatley", "Hinshaw",
    "Holloman", "Honeycutt", "Isley", "Jernigan", "Kearney", "Keziah", "Lassiter", "Ledbetter", "Lovelace",
    "Mabry", "Marlowe", "McCrary", "Medlin", "Merritt", "Mizelle", "Nance", "Nobles", "Oakley", "Outlaw",
    "Parrish", "Peebles", "Poythress", "Pruitt", "Quinley", "Rawls", "Redfern", "Rhyne", "Royster",
    "Sawyer", "Scarboro", "Sessoms", "Shuford", "Sneed", "Spruill", "Stallings", "Swindell", "Tadlock",
    "Teachey", "Truesdale", "Tyndall", "Upchurch", "Vick", "Wainwright", "Whitley", "Wooten", "Yount",
)
