"""The dataset described in VoID and DCAT: counts, partitions, licence, version, files.

:func:`count` measures a dataset (its union: distinct triples, subjects,
objects, entities, instances per class, triples per property);
:func:`describe` turns the counts, the version and the dump files into an
rdflib graph.  The dump writes that graph as ``void.ttl`` (:mod:`kg.publish.dumps`),
and the web app serves the same graph at ``/dataset`` and
``/.well-known/void`` in every RDF format (:mod:`web.downloads`).

Everything has an IRI, no blank nodes: the dataset is ``BASE/dataset``, its
distributions, partitions and checksums are fragments of it
(``dataset#universe.nq.gz``), so the same counts give the same bytes.  No
date is written: the version (``owl:versionInfo``, ``dcat:version``) says
which data it is.  ``void.ttl`` cannot hold its own checksum, so it is not
among the distributions; ``SHA256SUMS`` lists every file.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from kg import namespaces
from kg.namespaces import BASE, JWR
from kg.rdf.formats import RdfFormat, serialize
from kg.rdf.quads import Quads
from kg.rdf.writers import RDF_TYPE

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: Our prefixes and those of the description.
PREFIXES = {**namespaces.PREFIXES, "void": VOID, "dcat": DCAT, "spdx": SPDX}

DATASET = URIRef(BASE + "dataset")
DOWNLOADS = BASE + "downloads/"
SPARQL_ENDPOINT = URIRef(BASE + "sparql")
URI_SPACE = str(JWR)  # the entities: everything under /id/
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
GZIP = "application/gzip"
TITLE = "The John Wick universe knowledge graph"
DESCRIPTION = ("The people, places, orders, rules, motifs and stories of the John Wick films and series, "
               "every fact in a named graph tied to its source, with the ontology that describes them.")
COMMENT = ("Every file of the dumps is listed with its size and SHA-256, except void.ttl, which cannot hold its "
           "own checksum; SHA256SUMS lists them all.")
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass
class Counts:
    """What :func:`count` measures; ``classes`` and ``properties`` are keyed by IRI."""

    triples: int
    quads: int
    graphs: int
    entities: int  # distinct subjects under URI_SPACE
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int]  # class -> distinct instances
    properties: dict[str, int]  # property -> distinct triples

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Distribution:
    """One downloadable file: what it is and its measured size and checksum."""

    name: str
    title: str
    media_type: str  # of the content (of what is inside, for a gzipped file)
    compressed: bool
    data_dump: bool  # a dump of the data itself (void:dataDump)
    bytes: int
    sha256: str


def count(quads: Quads, triples: set[tuple[str, str, str]] | None = None) -> Counts:
    """Count the union of the dataset's graphs (``triples``, if given, are its distinct triples)."""
    triples = quads.triples() if triples is None else triples
    subjects, objects = {s for s, _, _ in triples}, {o for _, _, o in triples}
    instances: dict[str, set] = {}
    for s, p, o in triples:
        if p == RDF_TYPE and isinstance(quads.terms[o], ox.NamedNode):
            instances.setdefault(quads.terms[o].value, set()).add(s)
    entity = "<" + URI_SPACE
    return Counts(
        triples=len(triples), quads=len(quads), graphs=len(quads.graphs()),
        entities=sum(1 for s in subjects if s.startswith(entity)),
        distinct_subjects=len(subjects), distinct_objects=len(objects),
        classes={c: len(s) for c, s in sorted(instances.items())},
        properties={quads.terms[p].value: n for p, n in sorted(Counter(p for _, p, _ in triples).items())},
    )


def download_url(name: str) -> URIRef:
    return URIRef(DOWNLOADS + name)


def describe(counts: Counts, version: str, files: list[Distribution], release: dict | None = None) -> Graph:
    """The VoID and DCAT description of the dataset and its files; ``release``, the data release the data
    folder declares (its version is dcat:version, its date dcterms:issued; owl:versionInfo stays the content's)."""
    g = namespaces.bind_prefixes(Graph())
    for prefix in ("void", "dcat", "spdx"):
        g.bind(prefix, PREFIXES[prefix])
    ds = DATASET
    for cls in (VOID.Dataset, DCAT.Dataset):
        g.add((ds, RDF.type, cls))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, RDFS.comment, Literal(COMMENT, lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, DCAT.version, Literal(release["version"] if release else version)))
    if release and release.get("released"):
        g.add((ds, DCTERMS.issued, Literal(release["released"], datatype=XSD.date)))
    g.add((ds, DCAT.landingPage, URIRef(BASE)))
    g.add((ds, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    g.add((ds, VOID.uriSpace, Literal(URI_SPACE)))
    for name, value in (("triples", counts.triples), ("entities", counts.entities),
                        ("distinctSubjects", counts.distinct_subjects), ("distinctObjects", counts.distinct_objects),
                        ("classes", len(counts.classes)), ("properties", len(counts.properties))):
        g.add((ds, VOID[name], Literal(value)))
    for vocabulary in _vocabularies([*counts.classes, *counts.properties]):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for cls, n in counts.classes.items():
        part = URIRef(f"{DATASET}#class/{_key(cls)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for prop, n in counts.properties.items():
        part = URIRef(f"{DATASET}#property/{_key(prop)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n)))
    for file in files:
        _distribution(g, file)
    return g


def _distribution(g: Graph, file: Distribution) -> None:
    dist, checksum = URIRef(f"{DATASET}#{file.name}"), URIRef(f"{DATASET}#{file.name}-sha256")
    g.add((DATASET, DCAT.distribution, dist))
    if file.data_dump:
        g.add((DATASET, VOID.dataDump, download_url(file.name)))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(file.name)))
    g.add((dist, DCTERMS.description, Literal(file.title, lang="en")))
    g.add((dist, DCAT.downloadURL, download_url(file.name)))
    g.add((dist, DCAT.accessURL, URIRef(BASE + "downloads")))
    g.add((dist, DCAT.mediaType, URIRef(IANA + file.media_type)))
    if file.compressed:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + GZIP)))
    g.add((dist, DCAT.byteSize, Literal(file.bytes, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, LICENSE))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))


def _key(iri: str) -> str:
    """A readable fragment for a partition: the prefixed name, else a digest of the IRI."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        local = iri[len(str(namespace)):]
        if iri.startswith(str(namespace)) and _SAFE_LOCAL.fullmatch(local):
            return f"{prefix}:{local}"
    return hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def _vocabularies(iris: list[str]) -> list[str]:
    """The namespaces (of our prefixes) that the classes and properties come from, minus our own data's."""
    own = {str(namespaces.JWR), str(namespaces.JWG), str(namespaces.STATEMENT)}
    spaces = {str(ns) for ns in namespaces.PREFIXES.values()} - own
    return sorted({ns for ns in spaces for iri in iris if iri.startswith(ns) and "/" not in iri[len(ns):]
                   and "#" not in iri[len(ns):]})


def write(graph: Graph, fmt: RdfFormat) -> bytes:
    """The description in a format, the dataset first (for Turtle), with the VoID, DCAT and SPDX prefixes."""
    return serialize(graph, fmt, PREFIXES, first=DATASET)
