"""The one orchestrator: data folder -> checked records -> dataset -> SHACL.

Each stage is a pure function of its inputs (:mod:`kg.load`, :mod:`kg.collect`,
:mod:`kg.check`, :mod:`kg.compile`, :mod:`kg.validate`); this module chains
them and turns their problems into one :class:`~kg.errors.DataInvalid`.
Nothing here writes files: :mod:`kg.dump` does, and only for a valid build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from .check import check
from .collect import collect
from .compile import compile_universe
from .dump import MANIFEST, NQUADS, write_build
from .errors import DataInvalid, Location, Problem, ShapesViolated, UsageError
from .heap import gc_paused
from .load import read_yaml
from .model import model, ontology_dir
from .records import Universe
from .validate import locate, shacl_violations

DATA_SUFFIXES = (".yaml", ".yml")


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
    )
    if not files:
        raise DataInvalid([Problem(f"no data files (*.yaml) in {data_dir}", Location(str(data_dir)),
                                   hint="add YAML files, see data/README.md for the format")])
    return files


def load_universe(data_dir: Path) -> Universe:
    """Read and check every data file; raise DataInvalid listing all problems."""
    files = [read_yaml(p, str(p)) for p in data_files(data_dir)]
    universe, problems = collect(files, model())
    if not problems:
        problems = check(universe, model())
    if problems:
        raise DataInvalid(problems)
    return universe


def build(data_dir: Path, validate: bool = True) -> Build:
    """Load, check, compile and (unless told not to) validate with SHACL."""
    with gc_paused():
        universe = load_universe(data_dir)
        dataset = compile_universe(universe, model()).dataset
        violations = shacl_violations(dataset) if validate else []
    if violations:
        # compile again, recording where each triple came from, to say which line to fix
        traced = compile_universe(universe, model(), track=True)
        raise ShapesViolated(locate(violations, traced.index, traced.dataset))
    return Build(universe, dataset, validate)


def ensure_built(data_dir: Path, out_dir: Path) -> Path:
    """The N-Quads of the last build if it is newer than every data and ontology file;
    otherwise build (validating) and write it first.  Returns the N-Quads path."""
    nquads = out_dir / NQUADS
    manifest = out_dir / MANIFEST
    sources = [*data_files(data_dir), *ontology_dir().glob("*.ttl")]
    if manifest.exists() and nquads.exists():
        built = manifest.stat().st_mtime
        if all(path.stat().st_mtime <= built for path in sources):
            return nquads
    write_build(build(data_dir).dataset, out_dir)
    return nquads
