"""Dataset -> files, byte-identical for the same data, written atomically.

N-Quads and Turtle are written here rather than by rdflib's serializers: both
are sorted (so the same data gives the same bytes whatever the process), and
rdflib's Turtle serializer spent 2.5 minutes on a million triples where this
one takes seconds (docs/benchmarks.md).  Terms use the canonical N-Triples
forms of RDF 1.1; Turtle adds our prefixes and groups by subject and predicate.

Every file is written to a temporary name in the output folder first and
renamed into place only when all files are complete, so a reader sees the old
build or the new one, never half a file, and a failed build changes nothing.
``build.json`` (sizes and SHA-256 of each file, counts) is renamed last.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from rdflib import BNode, Dataset, Literal
from rdflib.namespace import XSD

from .errors import UsageError
from .namespaces import PREFIXES

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


def nquads(dataset: Dataset) -> bytes:
    """Canonical N-Quads: one line per quad, sorted."""
    nt = Terms()
    lines = sorted(f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in _quads(dataset))
    return "".join(lines).encode("utf-8")


def turtle(dataset: Dataset) -> bytes:
    """The union of all graphs as Turtle, sorted by subject, predicate and object."""
    ttl = Terms(PREFIXES)
    triples = sorted({(ttl(s), ttl(p), ttl(o)) for s, p, o, _ in _quads(dataset)})
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
    for subject, group in groupby(triples, key=lambda t: t[0]):
        out.append(f"\n{subject}")
        for i, (predicate, objects) in enumerate(groupby(group, key=lambda t: t[1])):
            values = ",\n        ".join(o for _, _, o in objects)
            out.append(f"{' ;' if i else ''}\n    {'a' if predicate == 'rdf:type' else predicate} {values}")
        out.append(" .\n")
    return "".join(out).encode("utf-8")


def manifest(files: dict[str, bytes], quads: int, graphs: int) -> bytes:
    info = {
        "files": {name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(files.items())},
        "graphs": graphs,
        "quads": quads,
    }
    return (json.dumps(info, indent=2, sort_keys=True) + "\n").encode()


def write_build(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write the N-Quads, Turtle and manifest of a dataset into ``out_dir``."""
    files = {NQUADS: nquads(dataset), TURTLE: turtle(dataset)}
    graphs = sum(1 for g in dataset.graphs() if len(g))
    files[MANIFEST] = manifest(files, files[NQUADS].count(b"\n"), graphs)
    return write_atomically(out_dir, files)


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file under a temporary name, then rename them all into place."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        order = sorted(staged, key=lambda item: item[0] == MANIFEST)  # the manifest last
        for name, tmp in order:
            os.replace(tmp, out_dir / name)
    except OSError as exc:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write to {out_dir}: {exc.strerror}") from None
    return [out_dir / name for name in files]
