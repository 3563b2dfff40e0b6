"""Deterministic names, unique slugs and identifiers for generated universes.

Everything is drawn from one seeded :class:`random.Random`, in a fixed order,
so the same seed and size always give byte-identical files.
"""

from __future__ import annotations

import random
from collections import defaultdict

from kg.namespaces import slugify

FIRST = ["Viktor", "Anya", "Marcus", "Ines", "Dmitri", "Lena", "Ezra", "Noor", "Tomas", "Yuki", "Rafael", "Mira", "Anton", "Sofia", "Kenji", "Dara", "Luca", "Elena", "Omar", "Katya", "Hugo", "Selma", "Ivo", "Zara", "Felix", "Nadia", "Bruno", "Ilse", "Caspar", "Vera", "Jonah", "Lidia", "Matteo", "Rosa", "Emil", "Hana", "Orson", "Freya", "Silas", "Alma"]
LAST = ["Kessel", "Moreau", "Draven", "Okafor", "Lindqvist", "Sato", "Varga", "Castellano", "Novak", "Reyes", "Halloran", "Petrov", "Ishikawa", "Brandt", "Azevedo", "Marchetti", "Kowalski", "Delacroix", "Nakamura", "Abernathy", "Volkov", "Santoro", "Lindgren", "Okonkwo", "Ferreira", "Haddad", "Strand", "Yilmaz", "Duarte", "Falk", "Romano", "Achebe", "Morrow", "Quint", "Tarkov", "Vance", "Wexler", "Zoric", "Bellamy", "Crane"]
ADJECTIVES = ["Crimson", "Silent", "Iron", "Hollow", "Gilded", "Broken", "Last", "Pale", "Burning", "Quiet", "Black", "Sworn", "Shattered", "Bitter", "Cold", "Endless", "Faithless", "Hidden", "Scarlet", "Ashen"]
NOUNS = ["Oath", "Marker", "Vow", "Debt", "Requiem", "Reckoning", "Covenant", "Tribunal", "Exile", "Sanctuary", "Wager", "Ledger", "Harbor", "Masquerade", "Crown", "Gambit", "Ritual", "Verdict", "Lantern", "Threshold"]
SYLLABLES = ["ka", "ro", "vel", "mar", "ist", "an", "dor", "sel", "ve", "tra", "lin", "os", "bar", "en", "qui", "zo", "len", "fa", "ru", "mo"]
THEMES = ["Grief", "Loyalty", "Vengeance", "Redemption", "Identity", "Honor", "Debt", "Family", "Fate", "Control", "Freedom", "Sacrifice", "Power", "Faith", "Trust", "Memory"]


def title(slug: str) -> str:
    """A display name from a slug: 'the-continental-karo-2' -> 'The Continental Karo'."""
    return " ".join(part.capitalize() for part in slug.split("-") if not part.isdigit())


class Namer:
    """Names drawn from word lists, and slugs made from them, unique across the universe."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._used: dict[str, int] = defaultdict(int)
        self._ids: dict[str, int] = defaultdict(int)

    def slug(self, name: str) -> str:
        """The slug of a name, with '-2', '-3' ... when the name is taken (as editors do)."""
        base = slugify(name)
        self._used[base] += 1
        count = self._used[base]
        return base if count == 1 else f"{base}-{count}"

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def sample(self, items, k: int) -> list:
        return self.rng.sample(list(items), min(k, len(items)))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def title(self) -> str:
        return f"The {self.pick(ADJECTIVES)} {self.pick(NOUNS)}"

    def place(self, syllables: int = 3) -> str:
        return "".join(self.pick(SYLLABLES) for _ in range(syllables)).capitalize()

    def date(self, first_year: int, last_year: int) -> str:
        year = self.rng.randint(first_year, last_year)
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def serial(self, kind: str) -> int:
        """1, 2, 3 ... per kind: the basis of unique external ids."""
        self._ids[kind] += 1
        return self._ids[kind]

    def imdb_title(self) -> str:
        return f"tt{9000000 + self.serial('tt')}"

    def imdb_name(self) -> str:
        return f"nm{9000000 + self.serial('nm')}"

    def wikidata(self) -> str:
        return f"Q{90000000 + self.serial('Q')}"
