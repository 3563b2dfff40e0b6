"""YAML nodes -> records: the second stage of the pipeline.

A data file is a mapping of sections (``works:``, ``characters:`` ...) to
entities keyed by slug, plus optional ``source:`` / ``revealed_in:`` defaults
and a ``facts:`` list that adds sourced facts to entities defined elsewhere.
Every value may be written long-hand (``{value: ..., source: ..., note: ...}``).
The nearest ``source:`` / ``revealed_in:`` above a value applies to it: value,
then entity (or facts block), then file.

This stage checks what one value can tell on its own (keys, forms, slugs); the
checks that need the whole universe (references, sources, revealed works) are
in :mod:`kg.build.check`.
"""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef
from rdflib.term import Node as Term

from . import vocab
from kg.errors import Location, Problem, did_you_mean
from .load import Mapping, Node, Scalar, Sequence, YAMLFile, YAMLPath
from kg.model import Model
from kg.namespaces import is_slug, slugify
from .records import CastEntry, Context, Entity, Fact, Said, Universe


def _problem(problems: list[Problem], where: dict, message: str, loc: Location, hint=None, key=None):
    problems.append(Problem(message, loc, where.get("entity"), where.get("noun"), key or where.get("key"), hint))


def _slugs(node: Node | None, key: str, problems, where, many=True) -> list[Said]:
    """Slugs written as one value or a list; each must look like a slug."""
    items = node.items if isinstance(node, Sequence) and many else [node]
    found = []
    for item in items:
        if not isinstance(item, Scalar):
            what = "a list" if isinstance(item, Sequence) else "a mapping"
            _problem(problems, where, f"expects {'slugs' if many else 'one slug'}, not {what}", item.loc, key=key)
        elif not is_slug(item.value):
            _problem(problems, where, f"'{item.value}' is not a slug", item.loc,
                     f"slugs are lower-case words joined by '-', like '{slugify(item.value) or 'john-wick'}'", key)
        else:
            found.append((item.value, item.loc))
    return found


def _inner(context: Context, node: Mapping, problems: list[Problem], where: dict) -> Context:
    """``context`` overridden by the ``source:`` / ``revealed_in:`` keys of ``node``."""
    sources, revealed = context.sources, context.revealed_in
    if "source" in node.items:
        sources = tuple(_slugs(node.get("source"), "source", problems, where))
    if "revealed_in" in node.items:
        found = _slugs(node.get("revealed_in"), "revealed_in", problems, where, many=False)
        revealed = found[0] if found else None
    return Context(sources, revealed)


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
            _problem(self.problems, where, "a data file must be a mapping of sections such as 'characters:'",
                     root.loc, "start the file with a section name and a colon, like 'characters:'")
            return
        allowed = [*vocab.FILE_KEYS, *vocab.KINDS_BY_SECTION]
        for name, (key_node, _) in root.items.items():
            if name not in allowed:
                _problem(self.problems, where, f"unknown section '{name}'", key_node.loc,
                         did_you_mean(name, allowed, "sections are: " + ", ".join(allowed)))
        context = _inner(Context(), root, self.problems, where)
        for section, kind in vocab.KINDS_BY_SECTION.items():
            node = root.get(section)
            if node is None:
                continue
            if not isinstance(node, Mapping):
                _problem(self.problems, where, f"'{section}' must map slugs to {kind.noun}s", node.loc)
                continue
            for slug, (slug_node, body) in node.items.items():
                self._entity(kind, slug, slug_node.loc, body, context)
        facts = root.get("facts")
        if facts is not None:
            if isinstance(facts, Sequence) and all(isinstance(b, Mapping) for b in facts.items):
                self._blocks.extend((b, context) for b in facts.items)
            else:
                _problem(self.problems, where, "'facts' must be a list of blocks, each starting with 'about:'",
                         facts.loc)

    # -- entities

    def _entity(self, kind: vocab.Kind, slug: str, loc: Location, body: Node, context: Context) -> None:
        where = {"entity": slug, "noun": kind.noun}
        if not is_slug(slug):
            _problem(self.problems, where, f"'{slug}' is not a slug", loc,
                     f"slugs are lower-case words joined by '-', like '{slugify(slug) or 'john-wick'}'")
            return
        if not isinstance(body, Mapping):
            _problem(self.problems, where, f"a {kind.noun} must be a mapping of keys such as 'name:'", body.loc)
            return
        cls = self._class(kind, body, where)
        if cls is None:
            return
        existing = self.universe.entities.get(slug)
        if existing is not None:
            article = "an" if existing.kind.noun[0] in "aeiou" else "a"
            _problem(self.problems, where, f"duplicate slug (already {article} {existing.kind.noun} at {existing.loc})",
                     loc, "every entity needs its own slug; rename one, or add facts with a 'facts:' block")
            return
        inner = context if kind is vocab.SOURCE_KIND else _inner(context, body, self.problems, where)
        self.universe.entities[slug] = Entity(slug, kind, cls, loc, inner)
        skip = ("type",) if kind is vocab.SOURCE_KIND else ("type", *vocab.CONTEXT_KEYS)
        self._keys(slug, kind, cls, body, inner, where, skip)

    def _class(self, kind: vocab.Kind, body: Mapping, where: dict) -> URIRef | None:
        type_node = body.get("type")
        if type_node is None:
            cls = kind.class_for(None)
            if cls is None:
                _problem(self.problems, where, f"needs a type: {', '.join(kind.type_names)}", body.loc,
                         key="type")
            return cls
        if not isinstance(type_node, Scalar) or kind.class_for(type_node.value) is None:
            shown = type_node.value if isinstance(type_node, Scalar) else "a list or mapping"
            _problem(self.problems, where, f"'{shown}' is not a type of {kind.noun}", type_node.loc,
                     "types are: " + ", ".join(kind.type_names), key="type")
            return None
        return kind.class_for(type_node.value)

    def _facts_block(self, block: Mapping, context: Context) -> None:
        about = block.get("about")
        where: dict = {}
        if not isinstance(about, Scalar):
            _problem(self.problems, where, "a facts block needs 'about: <slug>'", block.loc, key="about")
            return
        entity = self.universe.entities.get(about.value)
        if entity is None:
            _problem(self.problems, where, f"'about' names an unknown entity '{about.value}'", about.loc,
                     did_you_mean(about.value, self.universe.entities,
                                  "a facts block adds to an entity defined in a section; define it first"),
                     key="about")
            return
        where = {"entity": entity.slug, "noun": entity.kind.noun}
        inner = _inner(context, block, self.problems, where)
        self._keys(entity.slug, entity.kind, entity.cls, block, inner, where,
                   ("about", *vocab.CONTEXT_KEYS), forbidden=("name", "type"))

    # -- keys and values

    def _keys(self, slug, kind, cls, body: Mapping, context, where, skip, forbidden=()) -> None:
        for name, (key_node, value) in body.items.items():
            if name in skip:
                continue
            where = {**where, "key": name}
            k = kind.keys.get(name)
            if k is None or name in forbidden:
                allowed = [n for n in (*kind.keys, *skip) if n not in forbidden]
                reason = "is set where the entity is defined" if name in forbidden else f"is not a key of a {kind.noun}"
                _problem(self.problems, where, f"'{name}' {reason}", key_node.loc,
                         did_you_mean(name, allowed, "keys are: " + ", ".join(allowed)))
                continue
            if k.only and not any(self.model.is_a(cls, c) for c in k.only):
                wanted = " or ".join(self.model.article_label(c) for c in k.only)
                _problem(self.problems, where, f"is only for {wanted}, not {self.model.article_label(cls)}",
                         key_node.loc, f"remove '{name}', or check the entity's type")
                continue
            if isinstance(k.type, vocab.Cast):
                self._cast(slug, value, context, where)
                continue
            items = [value]
            if isinstance(value, Sequence):
                if not k.many:
                    _problem(self.problems, where, "takes one value, not a list", value.loc,
                             "keep one value, or write the others in a 'facts:' block with their source")
                    continue
                items = value.items
            for item in items:
                self._value(slug, kind, k, item, context, where)

    def _value(self, slug, kind, k: vocab.Key, node: Node, context: Context, where) -> None:
        qualifiers: dict = {}
        if isinstance(node, Mapping):
            unknown = [n for n in node.items if n not in ("value", *vocab.QUALIFIERS)]
            for n in unknown:
                hint = ("a comma inside {braces} ends the value: put text with commas in quotes" if " " in n
                        else did_you_mean(n, ("value", *vocab.QUALIFIERS),
                                          "use value, " + ", ".join(vocab.QUALIFIERS)))
                _problem(self.problems, where, f"'{n}' is not allowed in a long-hand value", node.key_loc(n), hint)
            inner = node.get("value")
            if inner is None:
                _problem(self.problems, where, "a long-hand value needs 'value:'", node.loc,
                         "write the value itself as 'value: ...' beside its qualifiers")
                return
            if unknown:
                return
            context = _inner(context, node, self.problems, where)
            qualifiers = self._qualifiers(node, where)
            node = inner
        if not isinstance(node, Scalar):
            what = "a list" if isinstance(node, Sequence) else "a mapping"
            _problem(self.problems, where, f"expects {k.type.what}, not {what}", node.loc,
                     "write one value per list item" if k.many else None)
            return
        value = self._parse(k.type, node, where)
        if value is not None:
            self.universe.facts.append(
                Fact(slug, k, value, node.loc, context, kind.is_story(k), **qualifiers))

    def _parse(self, type_, node: Scalar, where) -> Term | str | None:
        if isinstance(type_, vocab.Ref):
            found = _slugs(node, where.get("key", ""), self.problems, where, many=False)
            return found[0][0] if found else None
        try:
            return type_.parse(node.value)
        except vocab.BadValue as bad:
            _problem(self.problems, where, bad.message, node.loc, bad.hint)
            return None

    def _qualifiers(self, node: Mapping, where) -> dict:
        out: dict = {}
        for name, field_name in (("from", "start"), ("until", "end")):
            if name in node.items:
                found = _slugs(node.get(name), name, self.problems, where, many=False)
                out[field_name] = found[0] if found else None
        for name, type_ in (("note", vocab.PROSE), ("confirmation", vocab.CONFIRMATION)):
            sub = node.get(name)
            if isinstance(sub, Scalar):
                out[name] = self._parse(type_, sub, {**where, "key": f"{where.get('key')}.{name}"})
            elif sub is not None:
                _problem(self.problems, where, f"'{name}' takes one value", sub.loc)
        return out

    def _cast(self, work: str, node: Node, context: Context, where) -> None:
        if not isinstance(node, Mapping):
            _problem(self.problems, where, "'cast' maps each performer's slug to a character's slug", node.loc,
                     "write one line per performer, like 'keanu-reeves: john-wick'")
            return
        for performer, (performer_node, value) in node.items.items():
            found = _slugs(performer_node, "cast", self.problems, where, many=False)
            if not found:
                continue
            for role in value.items if isinstance(value, Sequence) else [value]:  # a list: several roles
                self._cast_entry(work, found[0], performer, performer_node, role, context, where)

    def _cast_entry(self, work, performer_said, performer, performer_node, value, context, where) -> None:
        """One role of a performer in a work: a character slug, or a mapping with 'character:'."""
        entry = dict(context=context, credited_as=None, note=None, confirmation=None)
        character_node = value
        if isinstance(value, Mapping):
            unknown = [n for n in value.items if n not in vocab.Cast.fields]
            for n in unknown:
                _problem(self.problems, where, f"'{n}' is not allowed in a cast entry", value.key_loc(n),
                         did_you_mean(n, vocab.Cast.fields, "use " + ", ".join(vocab.Cast.fields)))
            character_node = value.get("character")
            if character_node is None:
                _problem(self.problems, where, f"the entry of '{performer}' needs 'character:'", value.loc,
                         "write 'character: <slug>' in it")
            if unknown or character_node is None:
                return
            entry["context"] = _inner(context, value, self.problems, where)
            qualifiers = self._qualifiers(value, where)
            entry.update(note=qualifiers.get("note"), confirmation=qualifiers.get("confirmation"))
            credited = value.get("credited_as")
            if isinstance(credited, Scalar):
                entry["credited_as"] = self._parse(vocab.NAME, credited, where)
            elif credited is not None:
                _problem(self.problems, where, "'credited_as' takes one name", credited.loc)
        characters = _slugs(character_node, "cast", self.problems, where, many=False)
        if characters:
            self.universe.cast.append(
                CastEntry(work, performer_said, characters[0], performer_node.loc, **entry))

def collect(files: list[YAMLFile], model: Model) -> tuple[Universe, list[Problem]]:
    return Collector(model).collect(files)
