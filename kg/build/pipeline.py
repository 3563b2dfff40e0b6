"""The one orchestrator: data folder -> checked records -> dataset -> SHACL.

Each stage is a pure function of its inputs (:mod:`kg.build.load`, :mod:`kg.build.collect`,
:mod:`kg.build.check`, :mod:`kg.build.compile`, :mod:`kg.build.validate`); this module chains
them and turns their problems into one :class:`~kg.errors.DataInvalid`.
Only :func:`write_built` writes files (through :mod:`kg.build.output`), and only a valid build.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from kg.baseiri import SETTINGS_FILE, data_settings, release_of
from kg.errors import (
    DataInvalid,
    Location,
    OutputError,
    Problem,
    ShapesViolated,
    UsageError,
)
from kg.heap import gc_paused
from kg.model import model, ontology_dir
from kg.namespaces import BASE
from kg.progress import SILENT, Stages

from .check import check
from .collect import collect
from .compile import compile_universe
from .followon import triage
from .load import read_yaml
from .output import MANIFEST, NQUADS, write_build
from .records import Universe
from .validate import locate, shacl_violations

DATA_SUFFIXES = (".yaml", ".yml")
ORIGIN = ".built-from.json"  # which data folder and files a build folder holds (this machine's paths: not a dump)


@dataclass
class Build:
    universe: Universe
    dataset: Dataset
    validated: bool


def data_files(data_dir: Path) -> list[Path]:
    """The data files of a folder, sorted, hidden ones skipped."""
    if not data_dir.exists():
        raise UsageError(f"the data folder {data_dir} does not exist")
    if not data_dir.is_dir():
        raise UsageError(f"{data_dir} is not a folder")
    files = sorted(
        p for p in data_dir.rglob("*")
        if p.suffix in DATA_SUFFIXES and (p.is_file() or p.is_symlink())  # a dangling link is an I/O error
        and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
        and p.relative_to(data_dir) != Path(SETTINGS_FILE)  # the folder's settings (its base IRI), not facts
    )
    if not files:
        raise DataInvalid([Problem(f"no data files (*.yaml) in {data_dir}", Location(str(data_dir)),
                                   hint="add YAML files, see data/README.md for the format")])
    return files


def load_universe(data_dir: Path, all_errors: bool = False, stages: Stages = SILENT) -> Universe:
    """Read and check every data file; raise DataInvalid listing the problems (while a file cannot be read,
    not the references to what it may define, unless ``all_errors``: :mod:`kg.build.followon`)."""
    paths = data_files(data_dir)
    files = []
    with stages.stage("reading the YAML", len(paths)) as stage:
        for path in paths:
            files.append(read_yaml(path, str(path)))
            stage.advance()
    with stages.stage("checking the records") as stage:
        universe, problems = collect(files, model())
        if not problems:
            problems = check(universe, model())
        stage.note(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
    if problems:
        shown, held = triage(problems, files, data_dir, all_errors)
        raise DataInvalid(shown, held)
    return universe


def build(data_dir: Path, validate: bool = True, all_errors: bool = False, stages: Stages = SILENT) -> Build:
    """Load, check, compile and (unless told not to) validate with SHACL."""
    with gc_paused():
        universe = load_universe(data_dir, all_errors, stages)
        with stages.stage("compiling to RDF") as stage:
            dataset = compile_universe(universe, model()).dataset
            stage.note(f"{sum(1 for _ in dataset.graphs()):,} graphs")
        violations = []
        if validate:
            with stages.stage("validating with the SHACL shapes") as stage:
                violations = shacl_violations(dataset)
                stage.note(f"{len(violations)} violation{'s' if len(violations) != 1 else ''}")
    if violations:
        # compile again, recording where each triple came from, to say which line to fix
        traced = compile_universe(universe, model(), track=True)
        raise ShapesViolated(locate(violations, traced.index, traced.dataset))
    return Build(universe, dataset, validate)


def ensure_built(data_dir: Path, out_dir: Path) -> Path:
    """The N-Quads of the last build if it was built from this data folder, with the same files, and
    is newer than every data and ontology file; otherwise build (validating) and write it first.
    Returns the N-Quads path."""
    nquads = out_dir / NQUADS
    manifest = out_dir / MANIFEST
    files = data_files(data_dir)
    sources = [*files, *ontology_dir().glob("*.ttl"), *[p for p in [data_dir / SETTINGS_FILE] if p.exists()]]
    if manifest.exists() and nquads.exists() and _recorded(out_dir) == _origin(data_dir, files):
        built = manifest.stat().st_mtime
        if all(path.stat().st_mtime <= built for path in sources):
            return nquads
    write_built(build(data_dir).dataset, data_dir, out_dir)
    return nquads


def write_built(dataset: Dataset, data_dir: Path, out_dir: Path, stages: Stages = SILENT) -> list[Path]:
    """Write a build (:func:`kg.build.output.write_build`), then record which data folder and files it was
    built from, so that a build folder is never reused for other data (another folder, a file
    added or removed).  The record is written last: without it, the next ensure_built rebuilds."""
    try:
        release = release_of(data_settings(data_dir), str(data_dir / SETTINGS_FILE))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with stages.stage(f"writing the build into {out_dir}") as stage:
        paths = write_build(dataset, out_dir, release)
        record_origin(data_dir, out_dir)
        stage.note(f"{len(paths)} files")
    return paths


def record_origin(data_dir: Path, out_dir: Path) -> None:
    """Say that the build in ``out_dir`` is that of ``data_dir`` as its files are now."""
    record = out_dir / ORIGIN
    temporary = record.with_name(record.name + ".tmp")
    try:
        temporary.write_text(_origin(data_dir, data_files(data_dir)), encoding="utf-8")
        os.replace(temporary, record)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from None


def _origin(data_dir: Path, files: list[Path]) -> str:
    """Which data folder and files, and under which base IRI: a build made under another base is made again."""
    return json.dumps({"data": str(data_dir.resolve()), "files": [str(p.relative_to(data_dir)) for p in files],
                       "base": BASE}, indent=1) + "\n"


def _recorded(out_dir: Path) -> str | None:
    try:
        return (out_dir / ORIGIN).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
