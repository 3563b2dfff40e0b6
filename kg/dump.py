"""Dataset -> files, byte-identical for the same data, written atomically.

Every file is written to a temporary name in the output folder first and
renamed into place only when all files are complete, so a reader sees the old
build or the new one, never half a file, and a failed build changes nothing.
``build.json`` (sizes and SHA-256 of each file, counts) is renamed last.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import UsageError
from .namespaces import bind_prefixes

NQUADS = "universe.nq"
TURTLE = "universe.ttl"
MANIFEST = "build.json"


def nquads(dataset: Dataset) -> bytes:
    """Canonical N-Quads: one line per quad, sorted."""
    text = dataset.serialize(format="nquads", encoding="utf-8")
    lines = sorted(line for line in text.split(b"\n") if line.strip())
    return b"\n".join(lines) + b"\n"


def turtle(dataset: Dataset) -> bytes:
    """The union of all graphs as Turtle (rdflib sorts subjects, predicates and objects)."""
    union = bind_prefixes(Graph())
    union.addN((s, p, o, union) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return union.serialize(format="turtle", encoding="utf-8")


def manifest(files: dict[str, bytes], dataset: Dataset) -> bytes:
    info = {
        "files": {name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(files.items())},
        "graphs": sum(1 for _ in dataset.graphs()) - 1,  # without the empty default graph
        "quads": sum(1 for _ in dataset.quads((None, None, None, None))),
    }
    return (json.dumps(info, indent=2, sort_keys=True) + "\n").encode()


def write_build(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write the N-Quads, Turtle and manifest of a dataset into ``out_dir``."""
    files = {NQUADS: nquads(dataset), TURTLE: turtle(dataset)}
    files[MANIFEST] = manifest(files, dataset)
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
