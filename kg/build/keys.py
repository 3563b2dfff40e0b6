"""An entity's keys and values -> facts, cast entries, plot parts: what one value can tell on its own.

:class:`KeyReader` reads the keys of an entity (or of a ``facts:`` block)
against its kind's vocabulary (:mod:`kg.build.vocab`): a key the kind does not
have, a list where one value goes, a value of the wrong form
(:mod:`kg.build.values`), a long-hand value (``{value: ..., source: ...,
note: ...}``) with its qualifiers, a work's ``cast`` and ``plot``.  Each becomes a
:class:`~kg.build.records.Fact`, :class:`~kg.build.records.CastEntry` or
:class:`~kg.build.records.PlotPart` of the universe, or a
:class:`~kg.errors.Problem` at its file and line.
:mod:`kg.build.collect` walks the files and entities and calls it.
"""

from __future__ import annotations

from rdflib.term import Node as Term

from kg.errors import Location, Problem, did_you_mean
from kg.model import Model
from kg.namespaces import is_slug, slugify

from . import values, vocab
from .load import Mapping, Node, Scalar, Sequence
from .records import CastEntry, Context, Fact, PlotPart, Said, Universe


def report(problems: list[Problem], where: dict, message: str, loc: Location, hint=None, key=None, reference=None):
    problems.append(Problem(message, loc, where.get("entity"), where.get("noun"), key or where.get("key"), hint,
                            reference))


def read_slugs(node: Node | None, key: str, problems, where, many=True) -> list[Said]:
    """Slugs written as one value or a list; each must look like a slug."""
    items = node.items if isinstance(node, Sequence) and many else [node]
    found = []
    for item in items:
        if not isinstance(item, Scalar):
            what = "a list" if isinstance(item, Sequence) else "a mapping"
            report(problems, where, f"expects {'slugs' if many else 'one slug'}, not {what}", item.loc, key=key)
        elif not is_slug(item.value):
            report(problems, where, f"'{item.value}' is not a slug", item.loc,
                     f"slugs are lower-case words joined by '-', like '{slugify(item.value) or 'john-wick'}'", key)
        else:
            found.append((item.value, item.loc))
    return found


def owners(name: str, kind: vocab.Kind) -> str | None:
    """'only a work has 'plot'': for a key written on an entity of a kind that does not have it."""
    nouns = [("an " if other.noun[0] in "aeiou" else "a ") + other.noun
             for other in vocab.KINDS if name in other.keys and other is not kind]
    if not nouns:
        return None
    return f"only {', '.join(nouns[:-1]) + ' or ' if nouns[1:] else ''}{nouns[-1]} has '{name}'"


def inner_context(context: Context, node: Mapping, problems: list[Problem], where: dict) -> Context:
    """``context`` overridden by the ``source:`` / ``revealed_in:`` keys of ``node``."""
    sources, revealed = context.sources, context.revealed_in
    if "source" in node.items:
        sources = tuple(read_slugs(node.get("source"), "source", problems, where))
    if "revealed_in" in node.items:
        found = read_slugs(node.get("revealed_in"), "revealed_in", problems, where, many=False)
        revealed = found[0] if found else None
    return Context(sources, revealed)


class KeyReader:
    """Reads keys and values into ``universe``, adding what is wrong to ``problems``."""

    def __init__(self, model: Model, universe: Universe, problems: list[Problem]):
        self.model, self.universe, self.problems = model, universe, problems

    def read(self, slug, kind, cls, body: Mapping, context, where, skip, forbidden=()) -> None:
        for name, (key_node, value) in body.items.items():
            if name in skip:
                continue
            where = {**where, "key": name}
            k = kind.keys.get(name)
            if k is None or name in forbidden:
                allowed = [n for n in (*kind.keys, *skip) if n not in forbidden]
                reason = "is set where the entity is defined" if name in forbidden else f"is not a key of a {kind.noun}"
                report(self.problems, where, f"'{name}' {reason}", key_node.loc,
                         (k is None and owners(name, kind))
                         or did_you_mean(name, allowed, "keys are: " + ", ".join(allowed)))
                continue
            if k.only and not any(self.model.is_a(cls, c) for c in k.only):
                wanted = " or ".join(self.model.article_label(c) for c in k.only)
                report(self.problems, where, f"is only for {wanted}, not {self.model.article_label(cls)}",
                         key_node.loc, f"remove '{name}', or check the entity's type")
                continue
            if isinstance(k.type, values.Cast):
                self._cast(slug, value, context, where)
                continue
            if isinstance(k.type, values.Plot):
                self._plot(slug, value, context, where)
                continue
            items = [value]
            if isinstance(value, Sequence):
                if not k.many:
                    report(self.problems, where, "takes one value, not a list", value.loc,
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
                report(self.problems, where, f"'{n}' is not allowed in a long-hand value", node.key_loc(n), hint)
            inner = node.get("value")
            if inner is None:
                report(self.problems, where, "a long-hand value needs 'value:'", node.loc,
                         "write the value itself as 'value: ...' beside its qualifiers")
                return
            if unknown:
                return
            context = inner_context(context, node, self.problems, where)
            qualifiers = self._qualifiers(node, where)
            node = inner
        if not isinstance(node, Scalar):
            what = "a list" if isinstance(node, Sequence) else "a mapping"
            report(self.problems, where, f"expects {k.type.what}, not {what}", node.loc,
                     "write one value per list item" if k.many else None)
            return
        value = self._parse(k.type, node, where)
        if value is not None:
            self.universe.facts.append(
                Fact(slug, k, value, node.loc, context, kind.is_story(k), **qualifiers))

    def _parse(self, type_, node: Scalar, where) -> Term | str | None:
        if isinstance(type_, values.Ref):
            found = read_slugs(node, where.get("key", ""), self.problems, where, many=False)
            return found[0][0] if found else None
        try:
            return type_.parse(node.value)
        except values.BadValue as bad:
            report(self.problems, where, bad.message, node.loc, bad.hint)
            return None

    def _qualifiers(self, node: Mapping, where) -> dict:
        out: dict = {}
        for name, field_name in (("from", "start"), ("until", "end")):
            if name in node.items:
                found = read_slugs(node.get(name), name, self.problems, where, many=False)
                out[field_name] = found[0] if found else None
        for name, type_ in (("note", values.PROSE), ("confirmation", values.CONFIRMATION)):
            sub = node.get(name)
            if isinstance(sub, Scalar):
                out[name] = self._parse(type_, sub, {**where, "key": f"{where.get('key')}.{name}"})
            elif sub is not None:
                report(self.problems, where, f"'{name}' takes one value", sub.loc)
        return out

    def _cast(self, work: str, node: Node, context: Context, where) -> None:
        if not isinstance(node, Mapping):
            report(self.problems, where, "'cast' maps each performer's slug to a character's slug", node.loc,
                     "write one line per performer, like 'keanu-reeves: john-wick'")
            return
        for performer, (performer_node, value) in node.items.items():
            found = read_slugs(performer_node, "cast", self.problems, where, many=False)
            if not found:
                continue
            for role in value.items if isinstance(value, Sequence) else [value]:  # a list: several roles
                self._cast_entry(work, found[0], performer, performer_node, role, context, where)

    def _cast_entry(self, work, performer_said, performer, performer_node, value, context, where) -> None:
        """One role of a performer in a work: a character slug, or a mapping with 'character:'."""
        entry = dict(context=context, credited_as=None, note=None, confirmation=None)
        character_node = value
        if isinstance(value, Mapping):
            unknown = [n for n in value.items if n not in values.Cast.fields]
            for n in unknown:
                report(self.problems, where, f"'{n}' is not allowed in a cast entry", value.key_loc(n),
                         did_you_mean(n, values.Cast.fields, "use " + ", ".join(values.Cast.fields)))
            character_node = value.get("character")
            if character_node is None:
                report(self.problems, where, f"the entry of '{performer}' needs 'character:'", value.loc,
                         "write 'character: <slug>' in it")
            if unknown or character_node is None:
                return
            entry["context"] = inner_context(context, value, self.problems, where)
            qualifiers = self._qualifiers(value, where)
            entry.update(note=qualifiers.get("note"), confirmation=qualifiers.get("confirmation"))
            credited = value.get("credited_as")
            if isinstance(credited, Scalar):
                entry["credited_as"] = self._parse(values.NAME, credited, where)
            elif credited is not None:
                report(self.problems, where, "'credited_as' takes one name", credited.loc)
        characters = read_slugs(character_node, "cast", self.problems, where, many=False)
        if characters:
            self.universe.cast.append(
                CastEntry(work, performer_said, characters[0], performer_node.loc, **entry))

    def _plot(self, work: str, node: Node, context: Context, where) -> None:
        if not isinstance(node, Sequence):
            report(self.problems, where, "'plot' is a list of parts, each with 'act:' and 'text:'", node.loc,
                   "write one item per act, starting '- act: 1', with its 'text:' below")
            return
        for part in node.items:
            self._plot_part(work, part, context, where)

    def _plot_part(self, work: str, node: Node, context: Context, where) -> None:
        """One act: its number, its text, its sources; revealed in the plot's work unless said otherwise."""
        if not isinstance(node, Mapping):
            report(self.problems, where, "each part of 'plot' is a mapping with 'act:' and 'text:'", node.loc,
                   "write it like '- act: 1' with 'text: ...' on the next line")
            return
        fields = values.Plot.fields
        unknown = [n for n in node.items if n not in fields]
        for n in unknown:
            report(self.problems, where, f"'{n}' is not allowed in a plot part", node.key_loc(n),
                   did_you_mean(n, fields, "use " + ", ".join(fields)))
        found = {}
        for name, type_ in (("act", values.COUNT), ("text", values.PROSE)):
            sub = node.get(name)
            if sub is None:
                report(self.problems, where, f"a plot part needs '{name}:'", node.loc,
                       "give each part its number in 'act:' and its story in 'text:'")
            elif not isinstance(sub, Scalar):
                report(self.problems, where, f"'{name}' of a plot part takes one value", sub.loc)
            else:
                found[name] = (self._parse(type_, sub, {**where, "key": f"plot.{name}"}), sub.loc)
        if unknown or len(found) < 2 or any(value is None for value, _ in found.values()):
            return  # each problem is reported above
        inner = inner_context(context, node, self.problems, where)
        if inner.revealed_in is None:
            inner = Context(inner.sources, (work, node.loc))
        qualifiers = self._qualifiers(node, where)
        (act, act_loc), (text, text_loc) = found["act"], found["text"]
        self.universe.plot.append(PlotPart(work, int(act), act_loc, text, text_loc, node.loc, inner,
                                           qualifiers.get("note"), qualifiers.get("confirmation")))
