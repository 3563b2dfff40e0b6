"""Suggest a correction: a reader's suggestion becomes a patch of the data's YAML, checked like any edit.

A :class:`Suggestion` says what is wrong with one fact of one entity, or what is missing:

* ``remove``: the fact is wrong; every place the data states it loses it;
* ``change``: the right value is another one; the old one is removed and the new one added, with its source;
* ``alias``: another name the entity goes by, with its source;
* ``relation``: a fact that is missing (a key of the entity's kind and its value), with its source.

A new value always comes with the source the reader gives (a web address; the data's rule: no fact
without a source): it is added as a ``facts:`` entry (``about:``, ``source:``) in the file that defines
the entity, with a new reference source for the address unless one of the data's sources has it already.
:func:`make_patch` edits copies of the files only (:mod:`kg.build.yamledit`), builds and validates the
edited data in a temporary folder, and returns the unified diff with what the checks say.  The data
folder is never written.  Everything of the reader's is bounded and checked first (:meth:`Suggestion.checked`).
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import URIRef

from kg.build.pipeline import build, load_universe
from kg.build.records import Fact, Universe
from kg.build.yamledit import add_to_section, remove_value
from kg.errors import DataInvalid, KGError, UsageError
from kg.namespaces import is_slug, slugify

KINDS = ("remove", "change", "alias", "relation")
MAX_TEXT = 1000  # characters of a value or a note
MAX_URL = 2000


@dataclass(frozen=True)
class Suggestion:
    kind: str
    about: str  # the entity's slug
    key: str | None = None  # the YAML key of the fact (remove, change, relation)
    old: str | None = None  # the value as the data has it: a slug, or the text (remove, change)
    new: str | None = None  # the right value, another name, or the missing value (change, alias, relation)
    source: str | None = None  # where the new value is stated: an http(s) address
    note: str | None = None
    revealed_in: str | None = None  # the work that shows it (a story fact); else the one the old value had

    def checked(self) -> Suggestion:
        """This suggestion, every field bounded and of its form; a UsageError naming the field otherwise."""
        if self.kind not in KINDS:
            raise UsageError(f"kind: {self.kind!r} is not one of {', '.join(KINDS)}")
        if not is_slug(self.about or ""):
            raise UsageError("about: not the name of an entity of the data (a slug like eve-macarro)")
        for name in ("key", "old", "new", "note"):
            value = getattr(self, name)
            if value is not None and len(value) > MAX_TEXT:
                raise UsageError(f"{name}: {len(value):,} characters; at most {MAX_TEXT:,}")
            if value is not None and any(ord(c) < 32 and c not in "\t" for c in value):
                raise UsageError(f"{name}: one line of plain text, please (no line breaks or control characters)")
        if self.revealed_in is not None and not is_slug(self.revealed_in):
            raise UsageError("revealed_in: not the name of a work of the data (a slug like john-wick-2014)")
        if self.key is not None and not self.key.replace("_", "").isalnum():
            raise UsageError(f"key: {self.key!r} is not a key of the data format")
        if self.kind in ("remove", "change") and not (self.key and self.old):
            raise UsageError("say which fact: its key and its value as the page shows them")
        if self.kind != "remove":
            if not (self.new or "").strip():
                raise UsageError("new: give the right value")
            if self.kind == "relation" and not self.key:
                raise UsageError("key: which kind of fact is missing")
            self._check_source()
        return replace(self, new=self.new.strip() if self.new else self.new)

    def _check_source(self) -> None:
        if not self.source:
            raise UsageError("source: a new or changed fact needs its source: the address of a page that states it")
        if len(self.source) > MAX_URL:
            raise UsageError(f"source: an address of {len(self.source):,} characters; at most {MAX_URL:,}")
        parts = urlsplit(self.source)
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in self.source):
            raise UsageError(f"source: {self.source[:80]!r} is not an http(s) address")


@dataclass
class Patch:
    diff: str  # unified, paths as in the repository (a/data/characters.yaml), for git apply
    problems: list[str]  # what the checks say of the edited data; none: it passes them all

    @property
    def passes(self) -> bool:
        return not self.problems


def make_patch(data_dir: Path, suggestion: Suggestion) -> Patch:
    suggestion = suggestion.checked()
    universe = load_universe(data_dir)
    entity = universe.entities.get(suggestion.about)
    if entity is None:
        raise UsageError(f"about: the data has no entity {suggestion.about!r}")
    edited: dict[Path, list[str]] = {}

    def lines_of(name: str) -> list[str]:
        path = Path(name)
        if path not in edited:
            edited[path] = path.read_text(encoding="utf-8").splitlines(keepends=True)
        return edited[path]

    revealed = [suggestion.revealed_in] if suggestion.revealed_in else []
    if suggestion.kind in ("remove", "change"):
        facts = _facts(universe, suggestion)
        for fact in sorted(facts, key=lambda f: (f.loc.file, -f.loc.line, -f.loc.column)):  # bottom up
            remove_value(lines_of(fact.loc.file), fact.loc)
            revealed += [work for _, work in universe.routes(fact.context, fact.story) if work]
    if suggestion.kind != "remove":
        home = lines_of(entity.loc.file)
        source = _source(universe, suggestion.source, home)
        key = "aliases" if suggestion.kind == "alias" else suggestion.key
        revealed += [work for _, work in universe.routes(entity.context, True) if work]
        entry = {"about": suggestion.about, "source": source}
        if revealed and entity.kind.world != "real":  # a story fact: shown to fans who have seen this work
            entry["revealed_in"] = revealed[0]
        entry[key] = suggestion.new if not suggestion.note else [{"value": suggestion.new, "note": suggestion.note}]
        add_to_section(home, "facts", [entry])
    return Patch(_diff(data_dir, edited), _check(data_dir, edited))


def _facts(universe: Universe, suggestion: Suggestion) -> list[Fact]:
    found = [f for f in universe.facts if f.subject == suggestion.about and f.key.name == suggestion.key
             and str(f.value) == suggestion.old]
    if not found:
        raise UsageError(f"the data has no {suggestion.key} {suggestion.old!r} of {suggestion.about!r}")
    return found


def _source(universe: Universe, url: str, home: list[str]) -> str:
    """The slug of the data's source with this address, or of a new one added to the file."""
    for fact in universe.facts:
        if fact.key.name == "url" and str(fact.value) == url and universe.entities[fact.subject].kind.section == "sources":
            return fact.subject
    parts = urlsplit(url)
    slug = slugify(f"suggested {parts.hostname} {parts.path}")[:80].strip("-") or "suggested-source"
    taken, n = slug, 2
    while taken in universe.entities:
        taken, n = f"{slug}-{n}", n + 1
    add_to_section(home, "sources", {taken: {"type": "reference", "name": f"{parts.hostname}{parts.path}",
                                             "url": url}})
    return taken


def _diff(data_dir: Path, edited: dict[Path, list[str]]) -> str:
    root = data_dir.resolve().parent
    out = []
    for path in sorted(edited):
        name = path.resolve().relative_to(root).as_posix()
        before = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out += difflib.unified_diff(before, edited[path], f"a/{name}", f"b/{name}")
    return "".join(out)


def _check(data_dir: Path, edited: dict[Path, list[str]]) -> list[str]:
    """Build and validate a copy of the data folder with the edits: the problems, as the build says them."""
    with tempfile.TemporaryDirectory(prefix="kg-suggestion-") as tmp:
        copy = Path(tmp) / data_dir.name
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(".*"))
        for path, lines in edited.items():
            (copy / path.resolve().relative_to(data_dir.resolve())).write_text("".join(lines), encoding="utf-8")
        try:
            build(copy)
        except DataInvalid as exc:
            return [line.replace(str(copy), data_dir.name) for line in str(exc).splitlines()]
        except KGError as exc:
            return [str(exc).replace(str(copy), data_dir.name)]
    return []


# --- what the form offers ---------------------------------------------------------------------------------


def read_data(data_dir: Path) -> Universe:
    """The data as the build reads it (the form's choices come from it)."""
    return load_universe(data_dir)


def keys_of(universe: Universe, about: str) -> list[str]:
    """The keys the data format has for this entity's kind, sorted."""
    entity = universe.entities.get(about)
    return sorted(entity.kind.keys) if entity else []


def fact_named(universe: Universe, about: str, predicate: URIRef, value: str) -> tuple[str | None, str | None]:
    """The YAML key and value of the fact of ``about`` a page names by its property and value (a slug or text)."""
    for fact in universe.facts:
        if fact.subject == about and predicate in fact.key.predicates and str(fact.value) == value:
            return fact.key.name, str(fact.value)
    return None, None
