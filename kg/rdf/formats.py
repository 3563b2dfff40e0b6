"""The one table of formats: name, file extension, media type, and how to write it.

Dumps, downloads, content negotiation and the SPARQL endpoint all read these
tables (as rdflib reads its plugin registry), so a format is named, suffixed,
negotiated and written the same way everywhere.  An RDF format carries
pyoxigraph's format (for parsing) and its writer (:mod:`kg.rdf.writers`);
:func:`serialize` is the one way statements become bytes.  Result formats
are the four of SPARQL 1.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from kg.namespaces import PREFIXES

from . import writers
from .quads import Quads


@dataclass(frozen=True)
class RdfFormat:
    name: str  # the ``format=`` value and the name people use
    extension: str  # file suffix, without the dot
    media_type: str  # the one we answer with
    label: str
    ox: ox.RdfFormat
    w3c: str  # its name under http://www.w3.org/ns/formats/
    writer: writers.Writer
    graphs: bool = False  # carries named graphs (N-Quads, TriG)
    aliases: tuple[str, ...] = ()  # other media types clients ask for

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    def write(self, quads: Quads, prefixes: Mapping = PREFIXES, first: str | None = None) -> bytes:
        """Sorted quads in this format (``first``: the subject, in N-Triples, a Turtle file opens with)."""
        return self.writer(quads, prefixes, first)


@dataclass(frozen=True)
class ResultFormat:
    """A serialization of SPARQL SELECT and ASK results."""

    name: str
    extension: str
    media_type: str
    label: str
    ox: ox.QueryResultsFormat
    w3c: str
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


TURTLE = RdfFormat("turtle", "ttl", "text/turtle", "Turtle", ox.RdfFormat.TURTLE, "Turtle", writers.write_turtle,
                   aliases=("application/x-turtle",))
NTRIPLES = RdfFormat("ntriples", "nt", "application/n-triples", "N-Triples", ox.RdfFormat.N_TRIPLES, "N-Triples",
                     writers.write_ntriples)
JSONLD = RdfFormat("jsonld", "jsonld", "application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD, "JSON-LD",
                   writers.write_jsonld)
RDFXML = RdfFormat("rdfxml", "rdf", "application/rdf+xml", "RDF/XML", ox.RdfFormat.RDF_XML, "RDF_XML",
                   writers.pyoxigraph_writer(ox.RdfFormat.RDF_XML, graphs=False))
NQUADS = RdfFormat("nquads", "nq", "application/n-quads", "N-Quads", ox.RdfFormat.N_QUADS, "N-Quads",
                   writers.pyoxigraph_writer(ox.RdfFormat.N_QUADS, graphs=True), graphs=True)
TRIG = RdfFormat("trig", "trig", "application/trig", "TriG", ox.RdfFormat.TRIG, "TriG", writers.write_trig, graphs=True)

#: RDF formats in order of preference when a client accepts several equally.
RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)

RESULTS_JSON = ResultFormat("json", "srj", "application/sparql-results+json", "SPARQL JSON",
                            ox.QueryResultsFormat.JSON, "SPARQL_Results_JSON", aliases=("application/json",))
RESULTS_XML = ResultFormat("xml", "srx", "application/sparql-results+xml", "SPARQL XML",
                           ox.QueryResultsFormat.XML, "SPARQL_Results_XML", aliases=("application/xml", "text/xml"))
RESULTS_CSV = ResultFormat("csv", "csv", "text/csv", "CSV", ox.QueryResultsFormat.CSV, "SPARQL_Results_CSV")
RESULTS_TSV = ResultFormat("tsv", "tsv", "text/tab-separated-values", "TSV", ox.QueryResultsFormat.TSV, "SPARQL_Results_TSV")

#: SELECT and ASK result formats, the default first.
RESULT_FORMATS: tuple[ResultFormat, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)


def serialize(statements: Iterable[tuple], fmt: RdfFormat, prefixes: Mapping = PREFIXES,
              first: URIRef | None = None) -> bytes:
    """rdflib triples (a Graph, or a list) or quads in ``fmt``: the same statements give the same bytes.

    A triple format writes the union (a statement in several graphs once); a quad format keeps the
    graphs (triples go to the default graph).  ``first`` is the subject a Turtle answer opens with.
    """
    return fmt.write(Quads.of_rdflib(statements), prefixes, None if first is None else f"<{first}>")


def rdf_format(key: str) -> RdfFormat | None:
    """The RDF format with this name, extension or media type (``turtle``, ``ttl``, ``text/turtle``)."""
    return _lookup(RDF_FORMATS, key)


def result_format(key: str) -> ResultFormat | None:
    """The result format with this name, extension or media type (``json``, ``text/csv``)."""
    return _lookup(RESULT_FORMATS, key)


def _lookup(formats, key: str):
    key = key.strip().lower()
    return next((f for f in formats if key in (f.name, f.extension, *f.media_types)), None)
