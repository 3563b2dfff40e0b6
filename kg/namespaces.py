"""Base IRIs, prefixes, and the rules that turn slugs into IRIs.

Every IRI the project mints is made here, so the scheme is in one place::

    https://kg.johnwick.example/ontology/Character     a class or property (jwo:)
    https://kg.johnwick.example/id/eve-macarro         an entity (jwr:)
    https://kg.johnwick.example/id/performance/W/P/C   a performance (n-ary)
    https://kg.johnwick.example/id/plot/W/N            act N of the plot of work W (n-ary)
    https://kg.johnwick.example/statement/<hash>       a qualified statement
    https://kg.johnwick.example/graph/SOURCE           real-world facts from SOURCE
    https://kg.johnwick.example/graph/SOURCE/WORK      story facts from SOURCE, revealed in WORK
    https://kg.johnwick.example/graph/provenance       what every graph and source is
    https://kg.johnwick.example/ontology               the ontology, also a named graph

``.example`` is reserved for documentation (RFC 2606): the IRIs are names,
served by our own web app, and never collide with a real site.
"""

from __future__ import annotations

import hashlib
import os
import re

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from .baseiri import DEFAULT_BASE, check_base  # noqa: F401 - DEFAULT_BASE: the namespaces' home for it

#: The base IRI: the shipped universe is published under :data:`~kg.baseiri.DEFAULT_BASE`; another is chosen
#: with ``base:`` in ``data/settings.yaml``, ``KG_BASE`` or ``kg --base`` (:mod:`kg.launch` reads them before
#: this module is imported: every IRI below is made from it, once per process; child processes inherit it).
BASE = check_base(os.environ.get("KG_BASE") or DEFAULT_BASE)

JWO = Namespace(BASE + "ontology/")
JWR = Namespace(BASE + "id/")
JWG = Namespace(BASE + "graph/")
JWSH = Namespace(BASE + "shapes/")
STATEMENT = Namespace(BASE + "statement/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

ONTOLOGY_IRI = URIRef(BASE + "ontology")
PROVENANCE_GRAPH = JWG["provenance"]

#: Prefixes bound in every serialization and offered to SPARQL users.
PREFIXES: dict[str, Namespace] = {
    "jwo": JWO,
    "jwr": JWR,
    "jwg": JWG,
    "jwsh": JWSH,
    "schema": SCHEMA,
    "wd": WD,
    "wdt": WDT,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "sh": Namespace(str(SH)),
}
#: The same, as pyoxigraph takes them (``{prefix: namespace string}``).
PREFIX_MAP: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))


def slugify(text: str) -> str:
    """A suggestion for a slug: lower case ASCII words joined by hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def entity(slug: str) -> URIRef:
    return JWR[slug]


def slug_of(iri: URIRef) -> str | None:
    """The slug of an entity IRI, or None if the IRI is not one of ours."""
    text = str(iri)
    if text.startswith(str(JWR)):
        rest = text[len(str(JWR)) :]
        return rest if is_slug(rest) else None
    return None


def term_name(term: URIRef) -> str:
    """An ontology term by its name in the ontology's namespace (``jwo:memberOf``: ``memberOf``), as the graph
    view's ``rel=`` names relations."""
    return str(term).removeprefix(str(JWO))


def performance(work: str, performer: str, character: str) -> URIRef:
    return JWR[f"performance/{work}/{performer}/{character}"]


def plot_part(work: str, act: int) -> URIRef:
    return JWR[f"plot/{work}/{act}"]


def source_graph(source: str, revealed_in: str | None = None) -> URIRef:
    """The named graph of facts from ``source``; story facts also name their work."""
    return JWG[source if revealed_in is None else f"{source}/{revealed_in}"]


def statement(subject: URIRef, predicate: URIRef, obj, graph: URIRef, *qualifiers) -> URIRef:
    """A stable IRI for the statement (subject, predicate, obj) in graph with these qualifiers.

    The same value stated twice with different qualifiers gives two statements.
    """
    key = " ".join(term.n3() for term in (subject, predicate, obj, graph, *qualifiers))
    return STATEMENT[hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our prefixes (and only ours) so serializations are stable."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def curie(term) -> str:
    """``jwo:Work``, ``schema:Movie``, ``wd:Q5``; an IRI outside our prefixes stays whole."""
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text


def rebased(graph: Graph) -> Graph:
    """A graph written under the default base (the ontology, the shapes) with its IRIs under :data:`BASE`:
    the terms are replaced as RDF terms, never by editing Turtle text.  The same graph when the base is the
    default."""
    if BASE == DEFAULT_BASE:
        return graph

    def term(t):
        return URIRef(BASE + t[len(DEFAULT_BASE):]) if isinstance(t, URIRef) and t.startswith(DEFAULT_BASE) else t

    moved = bind_prefixes(Graph())
    for prefix, namespace in graph.namespaces():
        if not str(namespace).startswith(DEFAULT_BASE):
            moved.bind(prefix, namespace, override=False)
    for s, p, o in graph:
        moved.add((term(s), term(p), term(o)))
    return moved
