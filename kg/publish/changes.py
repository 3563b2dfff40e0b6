"""What changed between two releases of the dataset: statements added and removed, by entity and by source graph.

A release is read as its quads (:class:`~kg.rdf.quads.Quads`: canonical
N-Triples rows, so the same statement compares equal however it was written);
the change is the difference of the two sets.  Quads about a qualified
statement (``rdf:Statement`` nodes under ``statement/``: its source note,
confirmation mark, validity) are counted as changes of the fact they qualify,
so a fact that was re-qualified shows once, under its entity, with what its
qualifiers gained and lost.

Three forms, all deterministic (sorted): readable text, JSON, and SPARQL 1.1
Update (a ``DELETE DATA`` and an ``INSERT DATA`` per named graph) that turns a
server holding the old release into one holding the new.

Written here rather than taken from a library: rdflib's ``graph_diff``
compares single graphs (not datasets) and canonicalises blank nodes we never
mint, at a cost a million-quad dataset does not need; a set difference of
canonical rows is exact for our data and takes seconds at 1M quads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib.namespace import RDF

from kg.namespaces import JWG, PREFIXES, STATEMENT
from kg.rdf.quads import Quads, Row
from kg.rdf.terms import Terms, from_ox

_S, _P, _O = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"
_STATEMENT = f"<{STATEMENT}"
_GRAPHS = f"<{JWG}"
#: The rows that only say what a statement node is: shown as the fact itself, not as qualifiers.
_STRUCTURE = {_S, _P, _O, f"<{RDF.type}>"}


@dataclass(frozen=True)
class Release:
    """One side of a comparison: what the user named it, its quads, the base its IRIs were minted under,
    and the version and date of the release as its record says (``None`` when it does not)."""

    label: str
    quads: Quads
    base: str | None = None
    version: str | None = None
    released: str | None = None


@dataclass
class FactChange:
    """One fact of an entity: added or removed itself (``op``), or with qualifiers added and removed."""

    triple: tuple[str, str, str]
    graph: str
    op: str = "~"  # "+", "-", or "~" (the fact stays, its qualifiers changed)
    qualifiers: list[tuple[str, Row]] = field(default_factory=list)  # ("+" or "-", the row)


@dataclass
class Changes:
    old: Release
    new: Release
    added: list[Row]
    removed: list[Row]
    entities: dict[str, list[FactChange]]  # entity (N-Triples) -> its changed facts, sorted

    @property
    def graphs(self) -> dict[str, tuple[int, int]]:
        """Each source graph that changed -> (quads added, quads removed)."""
        plus, minus = Counter(r[3] for r in self.added), Counter(r[3] for r in self.removed)
        return {g: (plus[g], minus[g]) for g in sorted(plus.keys() | minus.keys())}

    @property
    def facts(self) -> int:
        return sum(len(facts) for facts in self.entities.values())


def _statements(*sides: Quads) -> dict[str, tuple[str, str, str]]:
    """Statement node -> the fact (subject, predicate, object) it qualifies, read from either side."""
    parts: dict[str, dict[str, str]] = defaultdict(dict)
    for quads in sides:
        for s, p, o, _ in quads.rows:
            if p in (_S, _P, _O) and s.startswith(_STATEMENT):
                parts[s][p] = o
    return {node: (got[_S], got[_P], got[_O]) for node, got in parts.items() if len(got) == 3}


def compare(old: Release, new: Release) -> Changes:
    """The changes that turn ``old`` into ``new``."""
    before, after = set(old.quads.rows), set(new.quads.rows)
    added, removed = sorted(after - before), sorted(before - after)
    statements = _statements(old.quads, new.quads)
    facts: dict[tuple, FactChange] = {}
    for op, rows in (("-", removed), ("+", added)):
        for row in rows:
            s, p, o, g = row
            if s in statements:
                fact = statements[s]
                change = facts.setdefault((fact, g), FactChange(fact, g))
                if p not in _STRUCTURE:
                    change.qualifiers.append((op, row))
            else:
                change = facts.setdefault(((s, p, o), g), FactChange((s, p, o), g))
                change.op = op
    entities: dict[str, list[FactChange]] = defaultdict(list)
    for (_, _), change in sorted(facts.items()):
        if change.op != "~" or change.qualifiers:
            entities[change.triple[0]].append(change)
    return Changes(old, new, added, removed, dict(sorted(entities.items())))


# --- the forms ----------------------------------------------------------------------------------------------


class _Forms:
    """N-Triples text -> its Turtle form with our prefixes, from the terms both sides parsed."""

    def __init__(self, changes: Changes):
        self.terms = {**changes.old.quads.terms, **changes.new.quads.terms}
        self.format = Terms(PREFIXES)

    def __call__(self, text: str) -> str:
        return self.format(from_ox(self.terms[text])) if text else "the default graph"

    def graph(self, text: str) -> str:
        """A graph's name for reading: ``jwg:SOURCE/WORK`` (not Turtle: a local name has no slash)."""
        if text.startswith(_GRAPHS):
            return "jwg:" + text[len(_GRAPHS):-1]
        return self(text)


def text_lines(changes: Changes) -> Iterator[str]:
    """The changes for a reader: a summary, then each entity's facts, then the source graphs."""
    form = _Forms(changes)
    yield (f"{changes.old.label} ({len(changes.old.quads):,} quads) -> {changes.new.label} "
           f"({len(changes.new.quads):,} quads): {len(changes.added):,} added, {len(changes.removed):,} removed; "
           f"{changes.facts:,} facts of {len(changes.entities):,} entities changed\n")
    if not changes.added and not changes.removed:
        yield "no change\n"
        return
    for entity, facts in changes.entities.items():
        yield f"\n{form(entity)}\n"
        for change in facts:
            _, p, o = change.triple
            what = "qualifiers changed" if change.op == "~" else "fact"
            yield f"  {change.op} {form(p)} {form(o)}    [{form.graph(change.graph)}: {what}]\n"
            for op, (_, qp, qo, _) in change.qualifiers:
                yield f"      {op} {form(qp)} {form(qo)}\n"
    yield "\nby source graph (quads added, removed):\n"
    for graph, (plus, minus) in changes.graphs.items():
        yield f"  +{plus} -{minus}  {form.graph(graph)}\n"


def as_json(changes: Changes) -> dict:
    """The changes as data: every term in its N-Triples form, entities and graphs sorted."""

    def side(release: Release) -> dict:
        return {"label": release.label, "quads": len(release.quads), "base": release.base}

    def row(r: Row) -> dict:
        return {"subject": r[0], "predicate": r[1], "object": r[2], "graph": r[3] or None}

    return {
        "old": side(changes.old), "new": side(changes.new),
        "added": len(changes.added), "removed": len(changes.removed),
        "entities": [
            {"entity": entity, "facts": [
                {"op": c.op, "predicate": c.triple[1], "object": c.triple[2], "graph": c.graph or None,
                 "qualifiers": [{"op": op, **row(r)} for op, r in c.qualifiers]} for c in facts]}
            for entity, facts in changes.entities.items()],
        "graphs": [{"graph": g or None, "added": plus, "removed": minus}
                   for g, (plus, minus) in changes.graphs.items()],
    }


def _data_blocks(keyword: str, rows: list[Row]) -> Iterator[str]:
    by_graph: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_graph[r[3]].append(r)
    for graph, grouped in sorted(by_graph.items()):
        inner = "".join(f"    {s} {p} {o} .\n" for s, p, o, _ in grouped)
        yield f"{keyword} DATA {{ GRAPH {graph} {{\n{inner}}} }}" if graph else f"{keyword} DATA {{\n{inner}}}"


def sparql_update_lines(changes: Changes) -> Iterator[str]:
    """SPARQL 1.1 Update that turns a store holding the old release into one holding the new.

    Every term is in its canonical N-Triples form, which is also a valid SPARQL
    term (IRIs in angle brackets, literals with their escapes, datatype or
    language), so no value is ever pasted into the query as text of its own.
    Removals come first, one ``DELETE DATA`` per named graph, then one
    ``INSERT DATA`` per graph, joined by ``;``.
    """
    yield f"# from {changes.old.label} to {changes.new.label}: " \
          f"{len(changes.removed)} quads removed, {len(changes.added)} added\n"
    blocks = [*_data_blocks("DELETE", changes.removed), *_data_blocks("INSERT", changes.added)]
    yield " ;\n".join(blocks) + ("\n" if blocks else "")
