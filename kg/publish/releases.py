"""A release named on the command line, read as quads: a build folder, a dump folder, or a git revision.

``kg diff OLD NEW`` takes either side as

- a build folder (``build.json`` and ``universe.nq``, as ``kg build`` writes it);
- a dump folder (``dumps.json`` and ``universe.nq`` or ``universe.nq.gz``, as ``kg dump`` writes it);
- a git revision of the repository (a tag such as ``v1.2``, a branch, ``HEAD~3``), built on the fly: the
  revision's tree is exported with ``git archive`` into a temporary folder (the repository and its work tree are
  never touched) and built there by the revision's own ``kg build`` when it has one, so the quads are those
  that release published; a tree without the code (a data-only repository) is built by this one.

The base the release's IRIs were minted under is read from its record when
the record has it; two releases under different bases cannot be compared.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kg.errors import UsageError
from kg.rdf.quads import Quads
from kg.settings import MANIFEST as BUILD_MANIFEST
from kg.settings import NQUADS

from .changes import Release

DUMPS_MANIFEST = "dumps.json"
GIT_TIMEOUT = 120  # seconds for git to answer
BUILD_TIMEOUT = 1800  # seconds for a revision's build (a million quads take minutes)


def _recorded(manifest: Path) -> dict:
    """What a build's or dumps' record says of the release: base, version, released."""
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UsageError(f"{manifest}: cannot be read as the record of a build or dumps") from None
    if not isinstance(record, dict):
        raise UsageError(f"{manifest}: cannot be read as the record of a build or dumps")
    release = record.get("release") if isinstance(record.get("release"), dict) else {}
    version = release.get("version") or (record.get("version") if manifest.name == DUMPS_MANIFEST else None)
    return {"base": record.get("base"), "version": version, "released": release.get("released")}


def recorded_release(manifest: Path) -> dict | None:
    """The data release a build's record declares (``{"version", "released"}``), if any."""
    try:
        release = json.loads(manifest.read_text(encoding="utf-8")).get("release")
    except (OSError, ValueError, AttributeError):
        return None
    return release if isinstance(release, dict) else None


def read_folder(folder: Path, label: str) -> Release:
    """A build folder or a dump folder; anything else is a usage error saying what was expected."""
    if (folder / BUILD_MANIFEST).is_file() and (folder / NQUADS).is_file():
        return Release(label, Quads.read(folder / NQUADS), **_recorded(folder / BUILD_MANIFEST))
    if (folder / DUMPS_MANIFEST).is_file():
        recorded = _recorded(folder / DUMPS_MANIFEST)
        if (folder / NQUADS).is_file():
            return Release(label, Quads.read(folder / NQUADS), **recorded)
        if (folder / (NQUADS + ".gz")).is_file():
            with tempfile.TemporaryDirectory(prefix="kg-diff-") as tmp:
                plain = Path(tmp) / NQUADS
                try:
                    with gzip.open(folder / (NQUADS + ".gz")) as packed, plain.open("wb") as out:
                        while block := packed.read(1 << 20):
                            out.write(block)
                except (OSError, EOFError) as exc:
                    raise UsageError(f"{folder / (NQUADS + '.gz')}: cannot be read: {exc}") from None
                return Release(label, Quads.read(plain), **recorded)
    raise UsageError(f"{label}: {folder} is neither a build folder ({BUILD_MANIFEST} and {NQUADS}) "
                     f"nor a dump folder ({DUMPS_MANIFEST} and {NQUADS} or {NQUADS}.gz)")


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], check=False, capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise UsageError("git is not installed: a revision cannot be read (name a build or dump folder)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git did not answer within {GIT_TIMEOUT} s in {repo}") from None
    if done.returncode != 0:
        raise UsageError(done.stderr.decode(errors="replace").strip().splitlines()[-1] if done.stderr
                         else f"git {args[0]} failed in {repo}")
    return done.stdout


def resolve(repo: Path, revision: str) -> str:
    """The commit a revision names; an unknown one is a usage error."""
    if revision.startswith("-"):
        raise UsageError(f"{revision!r} is not a revision")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    except UsageError:
        raise UsageError(f"{revision!r} is neither a folder nor a revision of the repository {repo}") from None


def _export(repo: Path, commit: str, into: Path) -> None:
    """The commit's tree, written into ``into`` (members outside it are refused by tarfile's data filter)."""
    archive = _git(repo, "archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def build_revision(repo: Path, revision: str, data: str, work: Path) -> Path:
    """Build ``revision`` of ``repo`` in ``work`` (a temporary folder of the caller's); the build folder."""
    commit = resolve(repo, revision)
    tree, out = work / "tree", work / "build"
    _export(repo, commit, tree)
    data_dir = tree / data
    if not data_dir.is_dir():
        raise UsageError(f"revision {revision} ({commit[:12]}) has no folder {data!r}")
    env = dict(os.environ)
    own_code = (tree / "kg" / "__main__.py").is_file()
    if own_code:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    command = [sys.executable, "-m", "kg", "build", "--data", str(data_dir), "--out", str(out)]
    try:
        done = subprocess.run(command, check=False, cwd=tree if own_code else None, env=env, capture_output=True,
                              timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UsageError(f"revision {revision} did not build within {BUILD_TIMEOUT} s") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise UsageError(f"revision {revision} ({commit[:12]}) does not build:\n  " + "\n  ".join(said))
    return out


def read_release(spec: str, repo: Path, data: str, work: Path) -> Release:
    """The release ``spec`` names: a folder if one is there, else a revision of ``repo``."""
    folder = Path(spec)
    if folder.is_dir():
        return read_folder(folder, spec)
    if folder.exists():
        raise UsageError(f"{spec} is a file: name a build folder, a dump folder or a git revision")
    work.mkdir(parents=True, exist_ok=True)
    return read_folder(build_revision(repo, spec, data, work), spec)


def check_comparable(old: Release, new: Release) -> None:
    if old.base and new.base and old.base != new.base:
        raise UsageError(f"{old.label} was built under the base {old.base} and {new.label} under {new.base}: "
                         "every IRI differs; rebuild one under the other's base (--base) to compare them")
