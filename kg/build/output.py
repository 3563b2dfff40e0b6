"""Dataset -> files, byte-identical for the same data, written atomically.

N-Quads and Turtle are written here rather than by rdflib's serializers: both
are sorted (so the same data gives the same bytes whatever the process), and
rdflib's Turtle serializer spent 2.5 minutes on a million triples where this
one takes seconds (docs/benchmarks.md).  Terms use the canonical N-Triples
forms of RDF 1.1; Turtle adds our prefixes and groups by subject and predicate.

Every file streams to a temporary name in the output folder first and is
renamed into place only when all files are complete (:class:`Staging`), so a
reader sees the old build or the new one, never half a file, and a failed
build changes nothing.  ``build.json`` (sizes and SHA-256 of each file,
counts) is renamed last.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from rdflib import BNode, Dataset, Literal
from rdflib.namespace import XSD

from kg.errors import UsageError
from kg.namespaces import PREFIXES

NQUADS = "universe.nq"
TURTLE = "universe.ttl"
MANIFEST = "build.json"

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal_nt(term: Literal) -> str:
    text = '"' + _NEEDS_ESCAPE.sub(_escape, str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


class Terms:
    """Formats terms, remembering each one (the same IRIs recur millions of times)."""

    def __init__(self, prefixes: dict | None = None):
        self.cache: dict = {}
        self.prefixes = sorted(((str(ns), p) for p, ns in (prefixes or {}).items()), key=lambda x: -len(x[0]))

    def __call__(self, term) -> str:
        text = self.cache.get(term)
        if text is None:
            text = self.cache[term] = self.format(term)
        return text

    def format(self, term) -> str:
        if isinstance(term, Literal):
            if self.prefixes and term.datatype is not None and not term.language and term.datatype != XSD.string:
                return literal_nt(Literal(str(term))) + "^^" + self(term.datatype)
            return literal_nt(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        for namespace, prefix in self.prefixes:
            if term.startswith(namespace) and _LOCAL_NAME.fullmatch(term[len(namespace):]):
                return f"{prefix}:{term[len(namespace):]}"
        return f"<{term}>"


def _quads(dataset: Dataset) -> Iterable[tuple]:
    return dataset.quads((None, None, None, None))


def nquads_lines(dataset: Dataset) -> Iterator[str]:
    """Canonical N-Quads: one line per quad, sorted."""
    nt = Terms()
    yield from sorted(f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in _quads(dataset))


def turtle_chunks(dataset: Dataset) -> Iterator[str]:
    """The union of all graphs as Turtle, sorted by subject, predicate and object."""
    ttl = Terms(PREFIXES)
    triples = sorted({(ttl(s), ttl(p), ttl(o)) for s, p, o, _ in _quads(dataset)})
    for prefix, namespace in PREFIXES.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"
    for subject, group in groupby(triples, key=lambda t: t[0]):
        yield f"\n{subject}"
        for i, (predicate, objects) in enumerate(groupby(group, key=lambda t: t[1])):
            values = ",\n        ".join(o for _, _, o in objects)
            yield f"{' ;' if i else ''}\n    {'a' if predicate == 'rdf:type' else predicate} {values}"
        yield " .\n"


def nquads(dataset: Dataset) -> bytes:
    return "".join(nquads_lines(dataset)).encode("utf-8")


def turtle(dataset: Dataset) -> bytes:
    return "".join(turtle_chunks(dataset)).encode("utf-8")


def write_build(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write the N-Quads, Turtle and manifest of a dataset into ``out_dir``.

    Each file streams into its temporary file as it is produced (at a million
    triples, holding every text whole was the peak of the build's memory).
    """
    graphs = sum(1 for g in dataset.graphs() if len(g))
    with Staging(out_dir) as staging:
        written = {NQUADS: staging.write(NQUADS, nquads_lines(dataset)),
                   TURTLE: staging.write(TURTLE, turtle_chunks(dataset))}
        info = {
            "files": {name: {"bytes": size, "sha256": digest} for name, (size, digest, _) in sorted(written.items())},
            "graphs": graphs,
            "quads": written[NQUADS][2],
        }
        staging.write(MANIFEST, [json.dumps(info, indent=2, sort_keys=True) + "\n"])
    return [out_dir / name for name in (NQUADS, TURTLE, MANIFEST)]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Staging:
    """Files written under temporary names in a folder, renamed into place together on success."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[str, Path]] = []

    def __enter__(self) -> Staging:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder {self.out_dir}: {exc.strerror}") from None
        return self

    def write(self, name: str, chunks: Iterable[str]) -> tuple[int, str, int]:
        """Stream text into a temporary file; return its size, SHA-256 and line count."""
        return self.write_bytes(name, (chunk.encode("utf-8") for chunk in chunks))

    def write_bytes(self, name: str, chunks: Iterable[bytes]) -> tuple[int, str, int]:
        """Stream bytes into a temporary file; return its size, SHA-256 and line count."""
        digest, size, lines = hashlib.sha256(), 0, 0
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
            self.staged.append((name, Path(tmp)))
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide downloads from a web server's user
            with os.fdopen(fd, "wb") as handle:
                for data in chunks:
                    handle.write(data)
                    digest.update(data)
                    size += len(data)
                    lines += data.count(b"\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise UsageError(f"cannot write to {self.out_dir}: {exc.strerror}") from None
        return size, digest.hexdigest(), lines

    def temporary(self, name: str) -> Path:
        """Where a file written in this staging waits until it is renamed into place (to read it back)."""
        return next(tmp for staged, tmp in reversed(self.staged) if staged == name)

    def __exit__(self, error_type, error, traceback) -> None:
        try:
            if error_type is None:
                for name, tmp in self.staged:  # in order: the manifest, staged last, lands last
                    os.replace(tmp, self.out_dir / name)
        except OSError as exc:
            raise UsageError(f"cannot write to {self.out_dir}: {exc.strerror}") from None
        finally:
            for _, tmp in self.staged:  # whatever was not renamed into place
                tmp.unlink(missing_ok=True)
