"""YAML nodes -> records: the second stage of the pipeline.

A data file is a mapping of sections (``works:``, ``characters:`` ...) to
entities keyed by slug, plus optional ``source:`` / ``revealed_in:`` defaults
and a ``facts:`` list that adds sourced facts to entities defined elsewhere.
Every value may be written long-hand (``{value: ..., source: ..., note: ...}``).
The nearest ``source:`` / ``revealed_in:`` above a value applies to it: value,
then entity (or facts block), then file.

This stage checks what one value can tell on its own (keys, forms, slugs:
:mod:`kg.build.keys`); the checks that need the whole universe (references,
sources, revealed works) are in :mod:`kg.build.check`.
"""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef

from kg.errors import Location, Problem, did_you_mean
from kg.model import Model
from kg.namespaces import is_slug, slugify

from . import vocab
from .keys import KeyReader, inner_context, report
from .load import Mapping, Node, Scalar, Sequence, YAMLFile, YAMLPath
from .records import Context, Entity, Universe


def _in_context(problem: Problem, where: YAMLPath) -> Problem:
    """Name the entity and key of a problem found while reading, from its YAML path."""
    if len(where) >= 2 and where[0] in vocab.KINDS_BY_SECTION and isinstance(where[1], str):
        key = where[2] if len(where) > 2 and isinstance(where[2], str) else None
        return replace(problem, entity=where[1], noun=vocab.KINDS_BY_SECTION[where[0]].noun, key=key)
    if where[:1] == ("facts",) and len(where) > 2 and isinstance(where[2], str):
        return replace(problem, key=where[2])
    if where and where[0] in vocab.CONTEXT_KEYS:
        return replace(problem, key=where[0])
    return problem


class Collector:
    """Reads all files into one :class:`Universe`, gathering every problem."""

    def __init__(self, model: Model):
        self.model = model
        self.universe = Universe()
        self.problems: list[Problem] = []
        self.keys = KeyReader(model, self.universe, self.problems)
        self._blocks: list[tuple[Mapping, Context]] = []

    def collect(self, files: list[YAMLFile]) -> tuple[Universe, list[Problem]]:
        for f in files:
            self.universe.files.append(f.path)
            self.problems.extend(_in_context(p, f.where) for p in f.problems)
            if f.root is not None:
                self._file(f)
        for block, context in self._blocks:
            self._facts_block(block, context)
        return self.universe, self.problems

    # -- files and sections

    def _file(self, f: YAMLFile) -> None:
        root, where = f.root, {}
        if not isinstance(root, Mapping):
            report(self.problems, where, "a data file must be a mapping of sections such as 'characters:'",
                     root.loc, "start the file with a section name and a colon, like 'characters:'")
            return
        allowed = [*vocab.FILE_KEYS, *vocab.KINDS_BY_SECTION]
        for name, (key_node, _) in root.items.items():
            if name not in allowed:
                report(self.problems, where, f"unknown section '{name}'", key_node.loc,
                         did_you_mean(name, allowed, "sections are: " + ", ".join(allowed)))
        context = inner_context(Context(), root, self.problems, where)
        for section, kind in vocab.KINDS_BY_SECTION.items():
            node = root.get(section)
            if node is None:
                continue
            if not isinstance(node, Mapping):
                report(self.problems, where, f"'{section}' must map slugs to {kind.noun}s", node.loc)
                continue
            for slug, (slug_node, body) in node.items.items():
                self._entity(kind, slug, slug_node.loc, body, context)
        facts = root.get("facts")
        if facts is not None:
            if isinstance(facts, Sequence) and all(isinstance(b, Mapping) for b in facts.items):
                self._blocks.extend((b, context) for b in facts.items)
            else:
                report(self.problems, where, "'facts' must be a list of blocks, each starting with 'about:'",
                         facts.loc)

    # -- entities

    def _entity(self, kind: vocab.Kind, slug: str, loc: Location, body: Node, context: Context) -> None:
        where = {"entity": slug, "noun": kind.noun}
        if not is_slug(slug):
            report(self.problems, where, f"'{slug}' is not a slug", loc,
                     f"slugs are lower-case words joined by '-', like '{slugify(slug) or 'john-wick'}'")
            return
        if not isinstance(body, Mapping):
            report(self.problems, where, f"a {kind.noun} must be a mapping of keys such as 'name:'", body.loc)
            return
        cls = self._class(kind, body, where)
        if cls is None:
            return
        existing = self.universe.entities.get(slug)
        if existing is not None:
            article = "an" if existing.kind.noun[0] in "aeiou" else "a"
            report(self.problems, where, f"duplicate slug (already {article} {existing.kind.noun} at {existing.loc})",
                     loc, "every entity needs its own slug; rename one, or add facts with a 'facts:' block")
            return
        inner = context if kind is vocab.SOURCE_KIND else inner_context(context, body, self.problems, where)
        self.universe.entities[slug] = Entity(slug, kind, cls, loc, inner)
        skip = ("type",) if kind is vocab.SOURCE_KIND else ("type", *vocab.CONTEXT_KEYS)
        self.keys.read(slug, kind, cls, body, inner, where, skip)

    def _class(self, kind: vocab.Kind, body: Mapping, where: dict) -> URIRef | None:
        type_node = body.get("type")
        if type_node is None:
            cls = kind.class_for(None)
            if cls is None:
                report(self.problems, where, f"needs a type: {', '.join(kind.type_names)}", body.loc,
                         key="type")
            return cls
        if not isinstance(type_node, Scalar) or kind.class_for(type_node.value) is None:
            shown = type_node.value if isinstance(type_node, Scalar) else "a list or mapping"
            report(self.problems, where, f"'{shown}' is not a type of {kind.noun}", type_node.loc,
                     "types are: " + ", ".join(kind.type_names), key="type")
            return None
        return kind.class_for(type_node.value)

    def _facts_block(self, block: Mapping, context: Context) -> None:
        about = block.get("about")
        where: dict = {}
        if not isinstance(about, Scalar):
            report(self.problems, where, "a facts block needs 'about: <slug>'", block.loc, key="about")
            return
        entity = self.universe.entities.get(about.value)
        if entity is None:
            report(self.problems, where, f"'about' names an unknown entity '{about.value}'", about.loc,
                     did_you_mean(about.value, self.universe.entities,
                                  "a facts block adds to an entity defined in a section; define it first"),
                     key="about", reference=about.value)
            return
        where = {"entity": entity.slug, "noun": entity.kind.noun}
        inner = inner_context(context, block, self.problems, where)
        self.keys.read(entity.slug, entity.kind, entity.cls, block, inner, where,
                   ("about", *vocab.CONTEXT_KEYS), forbidden=("name", "type"))


def collect(files: list[YAMLFile], model: Model) -> tuple[Universe, list[Problem]]:
    return Collector(model).collect(files)
