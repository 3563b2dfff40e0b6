"""The dumps: the built dataset in every format, gzipped, with the ontology, VoID/DCAT and checksums.

:func:`write_dumps` reads a build's N-Quads once (pyoxigraph, :mod:`kg.rdf.writers`)
and writes into a folder, atomically (:class:`kg.staging.Staging`)::

    universe.nq  universe.trig     the named graphs (one per source)
    universe.ttl  universe.nt      their union; N-Triples sorted and canonical
    universe.jsonld                the named graphs as compact JSON-LD
    *.gz                           each of those five, gzipped
    context.jsonld                 the JSON-LD context, published at writers.CONTEXT_URL
    ontology.ttl  shapes.ttl       the ontology and the SHACL shapes
    void.ttl                       VoID/DCAT: counts, partitions, licence, version, every file
    SHA256SUMS                     for ``sha256sum -c``
    dumps.json                     the manifest the web app reads (renamed into place last)

The same build gives the same bytes: the writers sort, gzip records neither
a time nor a name, and the version is kg's own plus a digest of the content
(the N-Quads, the ontology and the shapes), never a date.
:func:`ensure_dumps` rewrites the folder only when it was not written from
this build (cheap when it was: ``dumps.json`` against ``build.json``).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib.compare import to_canonical_graph

from kg import __version__
from kg.errors import OutputError, UsageError
from kg.model import (
    ONTOLOGY_FILE,
    SHAPES_FILE,
    ontology_dir,
    ontology_graph,
    shapes_graph,
)
from kg.namespaces import BASE, DEFAULT_BASE
from kg.progress import SILENT, Stages
from kg.rdf.formats import JSONLD, NQUADS, NTRIPLES, TRIG, TURTLE, RdfFormat, serialize
from kg.rdf.quads import Quads
from kg.rdf.writers import (
    context,
    context_text,
    jsonld_chunks,
    ntriples_lines,
    trig_chunks,
)
from kg.settings import MANIFEST as BUILD_MANIFEST
from kg.settings import NQUADS as BUILD_NQUADS
from kg.settings import TURTLE as BUILD_TURTLE
from kg.staging import Staging

from . import void
from .changes import Release, compare, sparql_update_lines
from .history import HISTORY, history_text
from .releases import recorded_release

MANIFEST = "dumps.json"
PATCH = "changes.ru.gz"
SUMS = "SHA256SUMS"
GZIP_LEVEL = 6  # zlib's default: 8.9 MB for the 239 MB of N-Quads at 1M triples, in 1.4 s
BLOCK = 1 << 20


@dataclass(frozen=True)
class DumpFile:
    """One file of the dumps: its name, what it is for, the media type and format of its content."""

    name: str
    title: str
    media_type: str
    label: str
    data_dump: bool = False  # the data itself, in some format (void:dataDump)
    compressed: bool = False  # gzipped: served as application/gzip

    @property
    def served_type(self) -> str:
        return void.GZIP if self.compressed else self.media_type


def _data(fmt: RdfFormat, title: str) -> tuple[DumpFile, DumpFile]:
    plain = DumpFile(f"universe.{fmt.extension}", title, fmt.media_type, fmt.label, data_dump=True)
    return plain, DumpFile(plain.name + ".gz", f"{fmt.label}, gzipped: the same file, smaller to download",
                           fmt.media_type, f"{fmt.label}, gzipped", data_dump=True, compressed=True)


#: The files every dump folder holds, in the order the downloads page and SHA256SUMS list them.
FILES: tuple[DumpFile, ...] = (
    *_data(NQUADS, "The dataset, one named graph per source, one quad per line, sorted: "
                   "load it into any SPARQL store (GRAPH ?g reaches each source)."),
    *_data(TRIG, "The same named graphs, grouped by graph and subject, with our prefixes: for reading them."),
    *_data(TURTLE, "The union of all graphs (without the sources), sorted, with our prefixes: "
                   "for tools that take one graph."),
    *_data(NTRIPLES, "The union as canonical N-Triples, one triple per line, sorted: for diff, grep and sort."),
    *_data(JSONLD, "The named graphs as compact JSON-LD, one node per line, using context.jsonld: "
                   "for JSON tools."),
    DumpFile("context.jsonld", "The JSON-LD context of universe.jsonld (our prefixes), published at its URL.",
             JSONLD.media_type, "JSON-LD context"),
    DumpFile("ontology.ttl", "The ontology (OWL and RDFS): the classes and properties of the data.",
             TURTLE.media_type, "Turtle"),
    DumpFile("shapes.ttl", "The SHACL shapes the data is validated against: what a valid fact is.",
             TURTLE.media_type, "Turtle"),
    DumpFile("void.ttl", "This dataset in VoID and DCAT: counts, partitions, licence, version, and every file "
                         "with its size and SHA-256 (all but void.ttl itself).", TURTLE.media_type, "Turtle"),
    DumpFile(SUMS, "The SHA-256 of every file: check downloads with sha256sum -c SHA256SUMS.",
             "text/plain", "text"),
)
BY_NAME = {f.name: f for f in FILES}
#: Written only when the dump is given the previous release (kg dump --changes-from), after the others.
CHANGE_FILES: tuple[DumpFile, ...] = (
    DumpFile(PATCH, "SPARQL 1.1 Update from the previous release to this one: apply it to a store holding the "
                    "previous release to hold this one (changes.json says which release it starts from).",
             "application/sparql-update", "SPARQL Update, gzipped", compressed=True),
    DumpFile(HISTORY, "What each release changed, by entity and source graph (the /changes page reads it).",
             "application/json", "JSON"),
)
#: Every file a dump folder may hold, in the order the downloads page and SHA256SUMS list them.
LISTED = (*FILES, *CHANGE_FILES)
ANY_BY_NAME = {f.name: f for f in LISTED}


@dataclass
class Manifest:
    """What a dump folder holds: version, counts, and each file's size and SHA-256."""

    version: str
    kg: str
    counts: void.Counts
    files: dict[str, dict]  # name -> {"bytes": int, "sha256": str}
    release: dict | None = None  # the data release the build records: {"version", "released"}

    def distributions(self) -> list[void.Distribution]:
        """The files the description lists: all but itself and SHA256SUMS (written after it)."""
        return [void.Distribution(f.name, f.title, f.media_type, f.compressed, f.data_dump, **self.files[f.name])
                for f in LISTED if f.name in self.files and f.name not in ("void.ttl", SUMS)]

    def description(self):
        """The VoID/DCAT graph of the dataset (what void.ttl holds)."""
        return void.describe(self.counts, self.version, self.distributions(), self.release)

    def as_json(self) -> str:
        return json.dumps({"version": self.version, "kg": self.kg, "counts": self.counts.as_dict(),
                           "files": self.files, **({"release": self.release} if self.release else {})},
                          indent=2) + "\n"


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of a dump folder, or None if there is none (or not one this version can read)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(data["version"], data["kg"], void.Counts(**data["counts"]), data["files"], data.get("release"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_dumps(build_dir: Path, out_dir: Path, previous: Release | None = None,
                history: list[dict] = (), stages: Stages = SILENT) -> Manifest:
    """Write every dump of the build in ``build_dir`` into ``out_dir``; nothing changes if one fails.

    Given the ``previous`` release (and the ``history`` its dumps carried), the patch from it and the
    release history are written too (:mod:`kg.publish.history`)."""
    nquads, turtle = build_dir / BUILD_NQUADS, build_dir / BUILD_TURTLE
    for source in (nquads, turtle):
        if not source.is_file():
            raise UsageError(f"no build in {build_dir}: {source.name} is missing (run kg build --out {build_dir})")
    for name in (*ANY_BY_NAME, MANIFEST):
        if (out_dir / name).is_dir():
            raise OutputError(f"cannot write {out_dir / name}: it is a folder")
    files: dict[str, dict] = {}
    with Staging(out_dir) as staging:  # from the first read: the site says "being written" meanwhile
        with stages.stage("reading the build") as stage:
            quads = Quads.read(nquads)
            triples = quads.triples()
            counts = void.count(quads, triples)
            stage.note(f"{counts.quads:,} quads")

        def put(name: str, chunks: Iterable[bytes]) -> None:
            with stages.stage(f"writing {name}") as stage:
                size, digest, _ = staging.write_bytes(name, chunks)
                stage.note(f"{size:,} bytes")
            files[name] = {"bytes": size, "sha256": digest}
            if ANY_BY_NAME[name].data_dump and not ANY_BY_NAME[name].compressed:
                put(name + ".gz", gzip_chunks(read_chunks(staging.temporary(name))))

        put("universe.nq", read_chunks(nquads))
        put("universe.trig", encoded(trig_chunks(quads)))
        put("universe.ttl", read_chunks(turtle))
        put("universe.nt", encoded(ntriples_lines(triples)))
        put("universe.jsonld", encoded(jsonld_chunks(quads, context()["@context"])))  # the context inside: read offline
        put("context.jsonld", [context_text().encode("utf-8")])
        put("ontology.ttl", [model_file(ONTOLOGY_FILE)])
        put("shapes.ttl", [model_file(SHAPES_FILE)])
        manifest = Manifest(content_version(files), __version__, counts, files, recorded_release(build_dir / BUILD_MANIFEST))
        if previous is not None:
            this = manifest.release or {}
            changes = compare(previous, Release("this build", quads, version=this.get("version") or manifest.version,
                                                released=this.get("released")))
            put(PATCH, gzip_chunks(encoded(sparql_update_lines(changes))))
            put(HISTORY, [history_text(changes, list(history)).encode("utf-8")])
        put("void.ttl", [void.write(manifest.description(), TURTLE)])
        put(SUMS, ["".join(f"{files[f.name]['sha256']}  {f.name}\n" for f in LISTED if f.name in files).encode()])
        manifest.files = {f.name: files[f.name] for f in LISTED if f.name in files}
        staging.write(MANIFEST, [manifest.as_json()])
    for file in CHANGE_FILES:  # a history of an earlier dump is not this one's
        if file.name not in files:
            (out_dir / file.name).unlink(missing_ok=True)
    return manifest


def model_file(name: str) -> bytes:
    """The ontology's or the shapes' Turtle as the dumps ship it: the file itself under the default base IRI,
    else the graph under this base, written by our Turtle writer (the same graph, the same bytes)."""
    if BASE == DEFAULT_BASE:
        return (ontology_dir() / name).read_bytes()
    graph = ontology_graph() if name == ONTOLOGY_FILE else shapes_graph()
    return serialize(to_canonical_graph(graph), TURTLE)  # the shapes' blank nodes named the same every time


def content_version(files: dict[str, dict]) -> str:
    """kg's version and a digest of what the dumps are made from: the same data, the same version."""
    digest = hashlib.sha256()
    for name in ("universe.nq", "ontology.ttl", "shapes.ttl"):
        digest.update(f"{files[name]['sha256']}  {name}\n".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def fresh_manifest(build_dir: Path, out_dir: Path) -> Manifest | None:
    """The manifest of ``out_dir`` if its dumps were written from this build (and ontology and shapes)."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.kg != __version__ or not set(BY_NAME) <= set(manifest.files):
        return None
    try:
        build = json.loads((build_dir / BUILD_MANIFEST).read_text(encoding="utf-8"))
        if manifest.files["universe.nq"]["sha256"] != build["files"][BUILD_NQUADS]["sha256"]:
            return None
        for name, source in (("ontology.ttl", ONTOLOGY_FILE), ("shapes.ttl", SHAPES_FILE)):
            if manifest.files[name]["sha256"] != hashlib.sha256(model_file(source)).hexdigest():
                return None
        if any((out_dir / name).stat().st_size != info["bytes"] for name, info in manifest.files.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def ensure_dumps(build_dir: Path, out_dir: Path) -> Manifest:
    """The dumps of the build in ``build_dir``, written into ``out_dir`` unless they are there already."""
    return fresh_manifest(build_dir, out_dir) or write_dumps(build_dir, out_dir)


# --- bytes --------------------------------------------------------------------------------------------


def read_chunks(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            while block := handle.read(BLOCK):
                yield block
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    """Text chunks as UTF-8 blocks of about a megabyte (a write and a hash update per block, not per line)."""
    buffer: list[str] = []
    size = 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size >= BLOCK:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


#: A gzip member header (RFC 1952): deflate, no flags, no time, no file name, unknown OS.
GZIP_HEADER = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00\xff"


def gzip_chunks(chunks: Iterable[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """Gzip, the same bytes for the same input on any machine (``gzip.compress`` writes the time
    unless told not to, and the OS byte varies with the Python version)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc, size = 0, 0
    yield GZIP_HEADER
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF)
